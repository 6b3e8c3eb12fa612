import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AgentError, AgentResult, AgentTask, AnalysisArtifact, TextArtifact } from "@vltair/envelopes";
import { Orchestrator } from "@vltair/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaticAnalysisAgent } from "../../../src/builtin/static-analysis/agent.js";

const FILES: Record<string, string> = {
  "src/planted.ts": ["export function same(a: number, b: number): boolean {", "  debugger;", "  return a == b;", "}", "export const n: number = 'x';", ""].join("\n"),
  "src/clean.ts": "export const ok = (a: number): number => a + 1;\n",
  "config/keys.txt": "token = AKIAABCDEFGHIJKLMNOP\n",
};

let root: string;
let stateDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "vltair-sa-agent-"));
  stateDir = await mkdtemp(join(tmpdir(), "vltair-sa-orch-"));
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

const task = (id: string, payload: Record<string, unknown>): AgentTask => ({ type: "AgentTask", id, agent: "static-analysis", payload });

async function withOrchestrator<T>(use: (o: Orchestrator) => Promise<T>): Promise<T> {
  const orchestrator = new Orchestrator({ dir: await mkdtemp(join(stateDir, "o-")) });
  orchestrator.register(createStaticAnalysisAgent());
  try {
    return await use(orchestrator);
  } finally {
    await orchestrator.close();
  }
}

function analyses(outcome: AgentResult | AgentError): AnalysisArtifact[] {
  expect(outcome.type).toBe("AgentResult");
  return ((outcome as AgentResult).payload.artifacts ?? []).filter((a): a is AnalysisArtifact => a.kind === "analysis");
}

describe("static-analysis agent in a real Orchestrator", () => {
  it("has the contract's identity", () => {
    const agent = createStaticAnalysisAgent();
    expect([agent.name, agent.version, [...agent.capabilities]]).toEqual(["static-analysis", "1.0.0", ["code.analyze"]]);
  });

  it("reports every finding as an analysis artifact plus a severity summary, without failing the task", async () => {
    await withOrchestrator(async (o) => {
      const outcome = await o.submit(task("sa-1", { workspace: root }), { wait: true });
      const found = analyses(outcome);
      expect(found.map((a) => `${a.location?.file}:${a.location?.line} ${a.rule} ${a.severity}`)).toEqual([
        "config/keys.txt:1 secret error",
        "src/planted.ts:2 no-debugger warn",
        "src/planted.ts:3 eqeqeq warn",
        "src/planted.ts:5 ts2322 error",
      ]);
      for (const a of found) {
        expect(a.suggestions?.length ?? 0).toBeGreaterThan(0);
        expect(a.suggestions?.length ?? 0).toBeLessThanOrEqual(10);
        for (const s of a.suggestions ?? []) expect(s.length).toBeLessThanOrEqual(256);
      }
      expect(found[0]?.details).not.toContain("AKIAABCDEFGHIJKLMNOP");
      const summary = ((outcome as AgentResult).payload.artifacts ?? []).find((a): a is TextArtifact => a.kind === "text");
      expect(summary?.content.split("\n")[0]).toBe("2 errors, 2 warnings, 0 info in 3 files analysed");
      expect(summary?.content).toContain("eqeqeq: 1");
    });
  });

  it("restricts to files and rules, and a clean file yields only the summary", async () => {
    await withOrchestrator(async (o) => {
      const some = await o.submit(task("sa-2", { workspace: root, files: ["src/planted.ts"], rules: ["eqeqeq"] }), { wait: true });
      expect(analyses(some).map((a) => a.rule)).toEqual(["eqeqeq"]);
      const clean = await o.submit(task("sa-3", { workspace: root, files: ["src/clean.ts"] }), { wait: true });
      expect(analyses(clean)).toEqual([]);
      expect((clean as AgentResult).payload.artifacts).toEqual([
        { kind: "text", title: "static analysis summary", content: "0 errors, 0 warnings, 0 info in 1 file analysed" },
      ]);
    });
  });

  it("fails bad input with ValidationFailure saying what is wrong", async () => {
    await withOrchestrator(async (o) => {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ["sa-bad-rule", { workspace: root, rules: ["no-such-rule"] }, /unknown rule 'no-such-rule'; known rules: .*eqeqeq/],
        ["sa-missing", { workspace: root, files: ["src/missing.ts"] }, /no such file in the workspace: src\/missing\.ts/],
        ["sa-escape", { workspace: root, files: ["../outside.ts"] }, /'\.\.\/outside\.ts' is not a relative path inside the workspace/],
        ["sa-no-ws", { workspace: join(root, "nowhere") }, /cannot read workspace/],
        ["sa-schema", { workspace: root, extra: true }, /invalid payload/],
      ];
      for (const [id, payload, message] of cases) {
        const outcome = await o.submit(task(id, payload), { wait: true });
        expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure", retryable: false } });
        expect((outcome as AgentError).error.message).toMatch(message);
      }
    });
  });

  it("journals the analysis as one effect and replays it without touching the disk", async () => {
    const ws = await mkdtemp(join(tmpdir(), "vltair-sa-replay-"));
    await writeFile(join(ws, "a.ts"), "export const x: number = 'no';\n");
    await withOrchestrator(async (o) => {
      const run = await o.startRun({ runId: "sa-replay" });
      const outcome = await run.submit(task("sa-r", { workspace: ws }));
      await run.finish();
      expect(analyses(outcome).map((a) => a.rule)).toEqual(["ts2322"]);
      const tools = (await o.readJournal("sa-replay")).flatMap((e) => (e.type === "ToolCalled" ? [e.tool] : []));
      expect(tools).toEqual(["static-analysis.run"]);
      await rm(ws, { recursive: true, force: true });
      const report = await o.replay("sa-replay");
      expect(report.identical).toBe(true);
    });
  });
});
