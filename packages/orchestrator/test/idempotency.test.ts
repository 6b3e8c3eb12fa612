import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Orchestrator } from "../src/index.js";
import { agent, task, tempDir } from "./helpers.js";

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
