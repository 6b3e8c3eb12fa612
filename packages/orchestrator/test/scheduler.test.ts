import { describe, expect, it } from "vitest";
import type { AgentTask } from "@vltair/envelopes";
import type { RunEvent } from "@vltair/envelopes";
import { ManualClock, Orchestrator, OrchestratorError } from "../src/index.js";
import { agent, echoAgent, flush, task, tempDir } from "./helpers.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe("submit and results", () => {
  it("completes the agent's output into a validated AgentResult and journals each step", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(echoAgent());
    const events: RunEvent[] = [];
    orch.on((e) => events.push(e));
    const r = await orch.submit(task("t1", { payload: { a: 1 } }));
    expect(r).toMatchObject({ type: "AgentResult", parentId: "t1", agent: "echo", payload: { artifacts: [{ kind: "text", title: "t1" }] } });
    expect(events.map((e) => e.type)).toEqual(["RunStarted", "TaskSubmitted", "TaskStarted", "TaskSucceeded"]);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    await orch.close();
    expect((await orch.readJournal(events[0]!.runId)).at(-1)).toMatchObject({ type: "RunFinished", status: "succeeded" });
  });

  it("rejects an invalid task with a typed error naming the problem, and stores nothing for it", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(echoAgent());
    const bad = { type: "AgentTask", id: "x", payload: {} } as unknown as AgentTask;
    const err = await orch.submit(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrchestratorError);
    expect((err as OrchestratorError).code).toBe("InvalidTask");
    expect((err as Error).message).toMatch(/task x is not a valid AgentTask/);
    expect(orch.metrics().submitted).toBe(0);
    await orch.close();
  });

  it("rejects a duplicate task id in a run and bad options", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(echoAgent());
    const run = await orch.startRun({ runId: "dup" });
    await run.submit(task("a"));
    await expect(run.submit(task("a"))).rejects.toMatchObject({ code: "DuplicateTask" });
    await expect(orch.startRun({ runId: "dup" })).rejects.toMatchObject({ code: "InvalidOption" });
    await expect(orch.startRun({ runId: "../evil" })).rejects.toMatchObject({ code: "InvalidOption" });
    expect(() => new Orchestrator({ dir: tempDir(), concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
    expect(() => orch.register({ name: "", capabilities: [], run: async () => ({ payload: {} }) })).toThrow(OrchestratorError);
    expect(() => orch.register(echoAgent())).toThrow(/already registered/);
    await orch.close();
    await expect(orch.submit(task("z"))).rejects.toMatchObject({ code: "Closed" });
  });

  it("turns an invalid output into UnexpectedOutput and a plain throw into ExecutionError, both dead-lettered", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(agent("bad", async () => ({ payload: { artifacts: [{ kind: "nope" }] } }) as never));
    orch.register(agent("throws", async () => { throw new Error("boom"); }));
    orch.register(agent("nothing", async () => undefined as never));
    const a = await orch.submit(task("a", { agent: "bad" }));
    const b = await orch.submit(task("b", { agent: "throws" }));
    const c = await orch.submit(task("c", { agent: "nothing" }));
    expect(a).toMatchObject({ type: "AgentError", error: { code: "UnexpectedOutput", retryable: false } });
    expect((a as unknown as { error: { details: { issues: unknown[] } } }).error.details.issues.length).toBeGreaterThan(0);
    expect(b).toMatchObject({ type: "AgentError", error: { code: "ExecutionError", message: "boom", retryable: false } });
    expect(c).toMatchObject({ error: { code: "UnexpectedOutput" } });
    expect(orch.deadLetters().map((d) => d.parentId)).toEqual(["a", "b", "c"]);
    expect(orch.metrics()).toMatchObject({ failed: 3, deadLettered: 3, retried: 0 });
    await orch.close();
  });

  it("fails with ValidationFailure when the agent rejects the payload", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register({ ...echoAgent("strict"), validatePayload: (p) => { if (!(p as { ok?: boolean }).ok) throw new Error("need ok"); } });
    const r = await orch.submit(task("v", { agent: "strict" }));
    expect(r).toMatchObject({ error: { code: "ValidationFailure", retryable: false } });
    expect((r as { error: { message: string } }).error.message).toMatch(/rejected the payload of task v: need ok/);
    await orch.close();
  });
});

describe("queue", () => {
  it("runs by priority, then submission order, and never exceeds the global concurrency", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 1 });
    const order: string[] = [];
    const g = gate();
    let running = 0;
    let peak = 0;
    orch.register(agent("echo", async (t) => {
      running++;
      peak = Math.max(peak, running);
      if (t.id === "first") await g.promise;
      order.push(t.id);
      running--;
      return { payload: {} };
    }));
    const run = await orch.startRun();
    const all = [run.submit(task("first"))];
    await flush();
    for (const [id, priority] of [["low", 0], ["high", 5], ["low2", 0], ["mid", 2]] as const) all.push(run.submit(task(id, { priority })));
    await flush();
    g.open();
    await Promise.all(all);
    expect(order).toEqual(["first", "high", "mid", "low", "low2"]);
    expect(peak).toBe(1);
    await orch.close();
  });

  it("limits each agent to perAgentConcurrency while other agents keep running", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 4, perAgentConcurrency: 1 });
    const g = gate();
    const started: string[] = [];
    orch.register(agent("slow", async (t) => { started.push(t.id); await g.promise; return { payload: {} }; }));
    orch.register(agent("fast", async (t) => { started.push(t.id); return { payload: {} }; }));
    const run = await orch.startRun();
    const p = [run.submit(task("s1", { agent: "slow" })), run.submit(task("s2", { agent: "slow" })), run.submit(task("f1", { agent: "fast" }))];
    await flush(10);
    expect(started.sort()).toEqual(["f1", "s1"]);
    expect(orch.metrics().running).toBe(1);
    g.open();
    await Promise.all(p);
    expect(started).toContain("s2");
    await orch.close();
  });

  it("applies backpressure: submit waits for space, or rejects with QueueFull when told not to wait", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 1, queueCapacity: 2 });
    const g = gate();
    orch.register(agent("echo", async () => { await g.promise; return { payload: {} }; }));
    const run = await orch.startRun();
    const r1 = run.submit(task("r1")); // runs
    await flush();
    const q1 = run.submit(task("q1"));
    const q2 = run.submit(task("q2"));
    await flush();
    expect(orch.metrics().queued).toBe(2);
    await expect(run.submit(task("q3"), { wait: false })).rejects.toMatchObject({ code: "QueueFull" });
    let admitted = false;
    const q4 = run.submit(task("q4")).then((r) => { admitted = true; return r; });
    await flush();
    expect(orch.metrics().waitingSubmitters).toBe(1);
    expect(admitted).toBe(false);
    g.open();
    const outs = await Promise.all([r1, q1, q2, q4]);
    expect(outs.every((o) => o.type === "AgentResult")).toBe(true);
    const ids = (await run.finish(), (await orch.readJournal(run.runId)).filter((e) => e.type === "TaskSubmitted").map((e) => e.taskId));
    expect(ids).toEqual(["r1", "q1", "q2", "q4"]); // q3 was refused, not dropped silently
    await orch.close();
  });
});

describe("router", () => {
  it("picks by capabilities: idle first, then least loaded, ties by name", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 8, perAgentConcurrency: 4 });
    const g = gate();
    const chosen: string[] = [];
    for (const name of ["zeta", "alpha", "beta"]) {
      orch.register(agent(name, async (t, ctx) => { chosen.push(`${t.id}:${name}`); void ctx; if (t.payload.hold) await g.promise; return { payload: {} }; }, name === "beta" ? ["code"] : ["code", "test"]));
    }
    const run = await orch.startRun();
    const p1 = run.submit(task("t1", { agent: "", capabilities: ["code"], payload: { hold: true } }));
    await flush();
    const p2 = run.submit(task("t2", { agent: "", capabilities: ["code"], payload: { hold: true } }));
    await flush();
    const p3 = run.submit(task("t3", { agent: "", capabilities: ["code", "test"], payload: { hold: true } }));
    await flush();
    const p4 = run.submit(task("t4", { agent: "", capabilities: ["code"] }));
    await flush();
    expect(chosen).toEqual(["t1:alpha", "t2:beta", "t3:zeta", "t4:alpha"]);
    g.open();
    await Promise.all([p1, p2, p3, p4]);
    await orch.close();
  });

  it("fails unknown, unhealthy or incapable routing with AgentUnavailable after retries, journaled and dead-lettered", async () => {
    const clock = new ManualClock(0);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", clock, retry: { maxAttempts: 2, baseMs: 10 } });
    orch.register(echoAgent("sick"));
    await orch.updateAgent("sick", { status: "unhealthy" });
    const run = await orch.startRun();
    const a = run.submit(task("a", { agent: "ghost" }));
    const b = run.submit(task("b", { agent: "sick" }));
    const c = run.submit(task("c", { agent: "", capabilities: ["fly"] }));
    await flush();
    clock.advance(100);
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect(ra).toMatchObject({ error: { code: "AgentUnavailable", message: expect.stringMatching(/agent "ghost" is not registered/) } });
    expect(rb).toMatchObject({ error: { code: "AgentUnavailable", message: expect.stringMatching(/is unhealthy/) } });
    expect(rc).toMatchObject({ error: { code: "AgentUnavailable", message: expect.stringMatching(/capabilities \[fly\]/) } });
    expect(orch.deadLetters()).toHaveLength(3);
    await orch.close();
  });
});
