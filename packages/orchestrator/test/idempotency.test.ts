import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Orchestrator } from "../src/index.js";
import { agent, echoAgent, task, tempDir } from "./helpers.js";

describe("idempotency", () => {
  it("returns the recorded result for a completed key without running again, also after a restart", async () => {
    const dir = tempDir();
    let runs = 0;
    const counting = agent("count", async () => { runs++; return { payload: { artifacts: [{ kind: "text", title: "n", content: String(runs) }] } }; });
    const first = new Orchestrator({ dir, durability: "commit" });
    first.register(counting);
    const a = await first.submit(task("a", { agent: "count", constraints: { idempotencyKey: "k1" } }));
    const again = await first.submit(task("a2", { agent: "count", constraints: { idempotencyKey: "k1" } }));
    expect(again).toEqual(a);
    await first.close();

    const second = new Orchestrator({ dir, durability: "commit" });
    second.register(counting);
    const b = await second.submit(task("b", { agent: "count", constraints: { idempotencyKey: "k1" } }));
    expect(b).toEqual(a);
    expect(runs).toBe(1);
    const c = await second.submit(task("c", { agent: "count", constraints: { idempotencyKey: "k2" } }));
    expect(c).toMatchObject({ payload: { artifacts: [{ content: "2" }] } });
    await second.close();
  });

  it("a failed key may run again; concurrent submissions of one key share one execution", async () => {
    let runs = 0;
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(agent("once", async () => { runs++; if (runs === 1) throw new Error("first fails"); return { payload: {} }; }));
    const f = await orch.submit(task("f", { agent: "once", constraints: { idempotencyKey: "k" } }));
    expect(f.type).toBe("AgentError");
    const run = await orch.startRun();
    const [x, y] = await Promise.all([run.submit(task("x", { agent: "once", constraints: { idempotencyKey: "k" } })), run.submit(task("y", { agent: "once", constraints: { idempotencyKey: "k" } }))]);
    expect(x).toEqual(y);
    expect(runs).toBe(2);
    await orch.close();
  });

  it("refuses a key reused by another agent or another payload — in flight, completed, and after a restart", async () => {
    const dir = tempDir();
    let runs = 0;
    const make = () => {
      const o = new Orchestrator({ dir, durability: "commit" });
      for (const name of ["count", "other"]) o.register(agent(name, async (t) => { runs++; return { payload: { artifacts: [{ kind: "text", title: name, content: JSON.stringify(t.payload) }] } }; }));
      return o;
    };
    const keyed = (id: string, agentName: string, payload: Record<string, unknown>) => task(id, { agent: agentName, payload, constraints: { idempotencyKey: "k" } });
    const conflicts = [
      { t: keyed("by-other-agent", "other", { n: 1 }), says: 'with agent "other" instead of "count"' },
      { t: keyed("other-payload", "count", { n: 2 }), says: "with a different payload" },
      { t: keyed("extra-field", "count", { n: 1, more: true }), says: "with a different payload" },
      { t: keyed("routed", "", { n: 1 }), says: 'with agent "" instead of "count"' },
    ];
    const first = make();
    const run = await first.startRun();
    const inFlight = run.submit(keyed("original", "count", { n: 1 }));
    for (const c of conflicts) {
      await expect(run.submit(c.t), c.t.id).rejects.toMatchObject({ code: "IdempotencyConflict", message: expect.stringContaining(c.says) });
    }
    const original = await inFlight;
    expect(original.type).toBe("AgentResult");
    for (const c of conflicts) await expect(first.submit(c.t), c.t.id).rejects.toMatchObject({ code: "IdempotencyConflict" });
    // The same task again (another id, same agent and payload, keys in another order) gets the recorded result.
    expect(await first.submit(keyed("repeat", "count", { n: 1 }))).toEqual(original);
    // A batch with one conflicting task is refused whole: nothing of it is admitted.
    await expect(run.submitAll([task("innocent", { agent: "count" }), conflicts[0]!.t])).rejects.toMatchObject({ code: "IdempotencyConflict" });
    await run.finish();
    await first.close();

    const second = make();
    for (const c of conflicts) {
      await expect(second.submit(c.t), c.t.id).rejects.toMatchObject({ code: "IdempotencyConflict", message: expect.stringContaining("bound to task original") });
    }
    expect(await second.submit(keyed("after-restart", "count", { n: 1 }))).toEqual(original);
    expect(runs).toBe(1);
    const events = await second.readJournal(run.runId);
    expect(events.some((e) => e.type === "TaskSubmitted" && e.taskId === "innocent")).toBe(false);
    await second.close();
  });

  it("binds a key to the redacted payload: the digest of a live task and of its journaled copy agree", async () => {
    const dir = tempDir();
    const payload = { token: "ghp_16C7e42F292c6912E7710c838347Ae178B4a", n: 1 };
    const first = new Orchestrator({ dir, durability: "commit" });
    first.register(echoAgent("count"));
    const a = await first.submit(task("a", { agent: "count", payload, constraints: { idempotencyKey: "secret-k" } }));
    await first.close();
    const second = new Orchestrator({ dir, durability: "commit" });
    second.register(echoAgent("count"));
    // The recorded result comes back (from the journal, so redacted), not a conflict.
    const b = await second.submit(task("b", { agent: "count", payload, constraints: { idempotencyKey: "secret-k" } }));
    expect(b).toMatchObject({ type: "AgentResult", id: a.id, payload: { artifacts: [{ content: expect.stringContaining("[REDACTED:github-token]") }] } });
    await second.close();
  });
});

describe("registry", () => {
  it("persists remote agents and their reported health across restarts; status lists local and remote", async () => {
    const dir = tempDir();
    const a = new Orchestrator({ dir });
    await a.registerRemote({ name: "remote-coder", capabilities: ["code", "edit"], version: "2.0.0" });
    await a.updateAgent("remote-coder", { status: "draining", load: 0.3 });
    await a.close();
    const b = new Orchestrator({ dir });
    b.register(agent("local", async () => ({ payload: {} }), ["test"]));
    const st = await b.status();
    expect(st.agents).toEqual([
      { name: "local", capabilities: ["test"], status: "healthy", load: 0, running: 0, kind: "local" },
      { name: "remote-coder", version: "2.0.0", capabilities: ["code", "edit"], status: "draining", load: 0.3, running: 0, kind: "remote" },
    ]);
    await expect(b.updateAgent("remote-coder", { load: 2 })).rejects.toThrow(/load must be a number in \[0, 1\]/);
    await expect(b.updateAgent("ghost", { status: "healthy" })).rejects.toThrow(/no agent named "ghost"/);
    // A remote agent has no handler here: tasks for it fail clearly, not silently.
    const r = await b.submit(task("t", { agent: "remote-coder", constraints: { maxAttempts: 1 } }));
    expect(r).toMatchObject({ error: { code: "AgentUnavailable", message: expect.stringMatching(/remote agent with no handler/) } });
    await b.close();
  });

  it("reports a damaged registry file with its path and keeps the file", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "registry.json"), JSON.stringify({ agents: [{ name: "x", capabilities: [], status: "zombie", load: 0 }] }));
    const o = new Orchestrator({ dir });
    await expect(o.status()).rejects.toThrow(/registry\.json: agents\[0\]\.status must be one of/);
    expect(readFileSync(path.join(dir, "registry.json"), "utf8")).toContain("zombie");
  });
});
