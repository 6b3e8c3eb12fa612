import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentTask, RunEvent } from "@vltair/envelopes";
import { AgentFailure, Journal, ManualClock, Orchestrator, type Agent, type ModelRequest } from "../src/index.js";
import { flush, task, tempDir, until } from "./helpers.js";

let modelCalls = 0;
let toolCalls = 0;

/** A deterministic agent that reads a "file" through an effect, asks a "model", and may spawn a child. */
const worker: Agent = {
  name: "worker",
  version: "1.0.0",
  capabilities: ["code"],
  async run(t, ctx) {
    const file = await ctx.effect("fs.read", { path: `${t.id}.txt` }, async () => { toolCalls++; return { text: `contents of ${t.id}` }; });
    const req: ModelRequest = { model: "m-1", messages: [{ role: "user", content: (file).text }], temperature: 0, maxTokens: 5 };
    const answer = await ctx.callModel(req, async (r) => { modelCalls++; return { content: `summary(${r.messages[0]!.content})`, model: r.model, usage: { promptTokens: 4, completionTokens: 5 } }; });
    if (t.payload.flaky && ctx.attempt === 1) throw new AgentFailure("ExecutionError", "transient", { retryable: true });
    if (t.payload.fail) throw new AgentFailure("TestFailure", "tests fail");
    const newTasks: AgentTask[] = t.payload.spawn ? [{ type: "AgentTask", id: `${t.id}.child`, agent: "", capabilities: ["code"], payload: {} }] : [];
    return { payload: { artifacts: [{ kind: "text", title: t.id, content: answer.content }], ...(newTasks.length ? { newTasks } : {}) } };
  },
};

async function recordRun(dir: string): Promise<{ runId: string; events: RunEvent[] }> {
  const clock = new ManualClock(5_000);
  const orch = new Orchestrator({ dir, durability: "flush", seed: 42, clock, concurrency: 2 });
  orch.register(worker);
  const run = await orch.startRun({ runId: "recorded" });
  const outs = run.submitAll([task("a", { agent: "worker", payload: { spawn: true } }), task("b", { agent: "worker", payload: { flaky: true }, dependsOn: ["a"] }), task("c", { agent: "worker", payload: { fail: true } })]);
  await until(() => orch.metrics().retried === 1);
  clock.advance(60_000);
  await outs;
  await run.finish();
  const events = await orch.readJournal("recorded");
  await orch.close();
  return { runId: "recorded", events };
}

describe("replay", () => {
  it("structural replay of a recorded run reproduces every event, without calling models or tools", async () => {
    const dir = tempDir();
    const { events } = await recordRun(dir);
    expect(events.filter((e) => e.type === "ModelCalled")).toHaveLength(5); // a, a.child, b ×2, c
    const before = { modelCalls, toolCalls };
    const orch = new Orchestrator({ dir });
    const report = await orch.replay("recorded");
    expect(report).toEqual({ runId: "recorded", identical: true, steps: events.length });
    expect({ modelCalls, toolCalls }).toEqual(before);
    // The original run is untouched.
    expect(await orch.readJournal("recorded")).toEqual(events);
  });

  it("re-executing the agents with recorded outputs reproduces the run", async () => {
    const dir = tempDir();
    await recordRun(dir);
    const before = { modelCalls, toolCalls };
    const report = await new Orchestrator({ dir }).replay("recorded", { agents: [worker] });
    expect(report.identical).toBe(true);
    expect({ modelCalls, toolCalls }).toEqual(before);
  });

  it("names the first divergent step of a tampered journal", async () => {
    const dir = tempDir();
    const { events } = await recordRun(dir);
    // Rewrite the journal into a new run with one result changed (checksums valid: it is a forgery, not damage).
    const target = events.find((e) => e.type === "TaskSucceeded" && e.taskId === "a.child")!;
    const forged = events.map((e) => {
      const copy: RunEvent = structuredClone({ ...e, runId: "tampered" });
      if (e.seq === target.seq && copy.type === "TaskSucceeded") copy.result.payload.artifacts = [{ kind: "text", title: "a.child", content: "forged" }];
      if (copy.type === "RunStarted") (copy.manifest as { runId: string }).runId = "tampered";
      return copy;
    });
    const j = await Journal.open(path.join(dir, "runs", "tampered"), { durability: "flush" });
    for (const e of forged) await j.append(e);
    await j.close();
    const report = await new Orchestrator({ dir }).replay("tampered", { agents: [worker] });
    expect(report.identical).toBe(false);
    expect(report.divergence).toMatchObject({ seq: target.seq, taskId: "a.child", kind: "TaskSucceeded" });
    expect(JSON.stringify(report.divergence!.expected)).toContain("forged");
    expect(JSON.stringify(report.divergence!.actual)).toContain("summary(contents of a.child)");
  });

  it("reports an agent that changed its tool input as a divergence at that call", async () => {
    const dir = tempDir();
    const { events } = await recordRun(dir);
    const changed: Agent = { ...worker, run: (t, ctx) => worker.run({ ...t, id: t.id === "c" ? "c-renamed" : t.id }, ctx) };
    const report = await new Orchestrator({ dir }).replay("recorded", { agents: [changed] });
    const firstC = events.find((e) => e.type === "ToolCalled" && e.taskId === "c")!;
    expect(report.divergence).toMatchObject({ seq: firstC.seq, taskId: "c", kind: "ToolCalled" });
  });

  it("journals a failing side effect and fails the same way in replay", async () => {
    const dir = tempDir();
    let reads = 0;
    const careful: Agent = {
      name: "careful",
      capabilities: ["code"],
      async run(_t, ctx) {
        let found: string;
        try {
          found = await ctx.effect("fs.read", { path: "missing.txt" }, async () => {
            reads++;
            throw Object.assign(new Error("ENOENT: no such file, open 'missing.txt'"), { code: "ENOENT" });
          });
        } catch (e) {
          found = `fallback after ${(e as { code?: string }).code}`;
        }
        const again = await ctx.effect("fs.read", { path: "present.txt" }, async () => { reads++; return "present"; });
        return { payload: { artifacts: [{ kind: "text", title: "read", content: `${found} / ${again}` }] } };
      },
    };
    const orch = new Orchestrator({ dir, durability: "flush", seed: 3 });
    orch.register(careful);
    const run = await orch.startRun({ runId: "failing-effect" });
    expect(await run.submit(task("t", { agent: "careful" }))).toMatchObject({ payload: { artifacts: [{ content: "fallback after ENOENT / present" }] } });
    await run.finish();
    const calls = (await orch.readJournal("failing-effect")).filter((e) => e.type === "ToolCalled");
    expect(calls).toMatchObject([
      { callIndex: 0, tool: "fs.read", error: { message: expect.stringContaining("ENOENT"), code: "ENOENT", name: "Error" } },
      { callIndex: 1, tool: "fs.read", output: "present" },
    ]);
    expect(calls[0]).not.toHaveProperty("output");
    await orch.close();
    expect(reads).toBe(2);
    const report = await new Orchestrator({ dir }).replay("failing-effect", { agents: [careful] });
    expect(report).toMatchObject({ identical: true });
    expect(reads).toBe(2);
  });

  it("replays a caller-driven loop through `drive`", async () => {
    const dir = tempDir();
    const loop = async (run: { submit(t: AgentTask): Promise<{ type: string }> }): Promise<void> => {
      const first = await run.submit(task("step1", { agent: "worker" }));
      if (first.type === "AgentResult") await run.submit(task("step2", { agent: "worker", dependsOn: ["step1"] }));
    };
    const orch = new Orchestrator({ dir, durability: "none", seed: 3 });
    orch.register(worker);
    const run = await orch.startRun({ runId: "loop" });
    await loop(run);
    await run.finish();
    await flush();
    const viaDrive = await orch.replay("loop", { drive: loop });
    const viaRecorded = await orch.replay("loop");
    expect(viaDrive.identical).toBe(true);
    expect(viaRecorded.identical).toBe(true);
    await orch.close();
  });
});
