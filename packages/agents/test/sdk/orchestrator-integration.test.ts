import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Orchestrator } from "@vltair/orchestrator";
import { describe, expect, it } from "vitest";
import { defineAgent, MockModel } from "../../src/index.js";

describe("defineAgent inside the real Orchestrator", () => {
  it("journals model, sandbox and file effects and replays them without re-running anything", async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), "vltair-int-ws-"));
    writeFileSync(path.join(workspace, "n.txt"), "20");
    let sandboxRuns = 0;
    const model = new MockModel([{ when: /20/, content: "twenty-two" }]);
    const make = (m: MockModel) =>
      defineAgent<{ workspace: string }>({
        name: "counter",
        version: "1",
        capabilities: ["count"],
        model: m,
        payloadSchema: { type: "object", required: ["workspace"], properties: { workspace: { type: "string" } } },
        run: async (_task, ctx) => {
          const n = await ctx.workspace.readFile("n.txt");
          const r = await ctx.sandbox.run({ command: process.execPath, args: ["-e", `console.log(${n} + 2)`], workspace: ctx.payload.workspace });
          if (!ctx.replaying) sandboxRuns++;
          const words = await ctx.model?.chat(`Spell ${n} + 2`);
          return { payload: { artifacts: [{ kind: "text", title: "sum", content: `${r.stdout.trim()} ${words?.content ?? ""}` }] } };
        },
      });
    const dir = mkdtempSync(path.join(tmpdir(), "vltair-int-orch-"));
    const orchestrator = new Orchestrator({ dir });
    try {
      orchestrator.register(make(model));
      const run = await orchestrator.startRun({ runId: "run-int" });
      const outcome = await run.submit({ type: "AgentTask", id: "t-1", agent: "counter", payload: { workspace } });
      await run.finish();
      expect(outcome).toMatchObject({ type: "AgentResult", payload: { artifacts: [{ content: "22 twenty-two" }] } });
      const events = await orchestrator.readJournal("run-int");
      const tools = events.filter((e) => e.type === "ToolCalled").map((e) => (e as { tool: string }).tool);
      expect(tools).toEqual(["fs.read", "sandbox.run"]);
      expect(events.filter((e) => e.type === "ModelCalled")).toHaveLength(1);

      const silent = new MockModel([]);
      const report = await orchestrator.replay("run-int", { agents: [make(silent)] });
      expect(report.identical).toBe(true);
      expect(silent.requests).toHaveLength(0);
      expect(sandboxRuns).toBe(1);
    } finally {
      await orchestrator.close();
    }
  });

  it("fails a task whose payload the schema rejects with ValidationFailure", async () => {
    const agent = defineAgent({ name: "strict", version: "1", capabilities: [], payloadSchema: { type: "object", required: ["x"] }, run: async () => ({ payload: {} }) });
    const orchestrator = new Orchestrator({ dir: mkdtempSync(path.join(tmpdir(), "vltair-int-orch-")) });
    try {
      orchestrator.register(agent);
      const outcome = await orchestrator.submit({ type: "AgentTask", id: "t-2", agent: "strict", payload: {} }, { wait: true });
      expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure", retryable: false } });
      expect(JSON.stringify(outcome)).toMatch(/must have required property 'x'/);
    } finally {
      await orchestrator.close();
    }
  });
});
