import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createTask, type AgentError, type AgentResult, type PatchArtifact } from "@vltair/envelopes";
import { Orchestrator, type ModelRequest, type ModelResponse } from "@vltair/orchestrator";
import { describe, expect, it } from "vitest";
import { createCodeGenAgent } from "../../../src/builtin/codegen/agent.js";
import { createDebugAgent } from "../../../src/builtin/debug/agent.js";
import { runDebug } from "../../../src/builtin/debug/run.js";
import { createTestExecAgent } from "../../../src/builtin/testexec/agent.js";
import type { ModelProvider } from "../../../src/model/model-provider.js";
import { directDebugEnvironment, type RecordedEffect } from "./environment.js";
import { tempDir } from "../../temp-dir.js";

const fixMe = path.resolve(import.meta.dirname, "../../../../../examples/fix-me");

/** A model that answers from a script, recording the prompts it was sent. */
function scriptedModel(answers: string[], seen: ModelRequest[] = []): ModelProvider {
  return {
    id: "scripted",
    async chat(request: ModelRequest): Promise<ModelResponse> {
      seen.push(request);
      return { content: answers.shift() ?? "no idea", model: "scripted", usage: { promptTokens: 10, completionTokens: 10 } };
    },
  };
}

describe("debug procedure on examples/fix-me (offline)", () => {
  it("localises the seeded bug and proposes the verified one-character patch, deterministically", async () => {
    const effects: RecordedEffect[] = [];
    const outcome = await runDebug({ workspace: fixMe }, directDebugEnvironment(fixMe, effects));
    expect(outcome.method).toBe("mutation-search");
    expect(outcome.patch).toEqual({
      kind: "patch",
      target: "src/discount.js",
      diff: expect.stringContaining("-  if (quantity > 10) return 5;\n+  if (quantity >= 10) return 5;\n") as string,
    });
    expect(outcome.patch?.diff).toMatch(/^diff --git a\/src\/discount\.js b\/src\/discount\.js\n--- a\/src\/discount\.js\n\+\+\+ b\/src\/discount\.js\n/);
    const hint = outcome.artifacts.find((a) => a.kind === "coverage_hint");
    expect(hint).toMatchObject({ kind: "coverage_hint", files: ["src/cart.js", "src/discount.js", "src/money.js", "src/shipping.js"] });
    // The faulty function's lines lead the ranking.
    expect((hint as { suspicious: { file: string; line: number }[] }).suspicious.slice(0, 3)).toEqual([
      { file: "src/discount.js", line: 28, score: 0.707107 },
      { file: "src/discount.js", line: 26, score: 0.632456 },
      { file: "src/discount.js", line: 27, score: 0.632456 },
    ]);
    expect(outcome.artifacts.filter((a) => a.kind === "analysis")).toHaveLength(5);
    expect(outcome.artifacts).toContainEqual({ kind: "diff_summary", target: "src/discount.js", summary: { files_changed: 1, insertions: 1, deletions: 1 } });
    // Two coarse effects, compact: the spectrum (one process per test file) and the search record.
    expect(effects.map((e) => e.tool)).toEqual(["debug.spectrum", "debug.repair-search"]);
    const spectrum = effects[0]?.output as { runs: number; tests: unknown[]; inProcessFiles: string[] };
    expect(spectrum.runs).toBe(4);
    expect(spectrum.tests).toHaveLength(20);
    expect(spectrum.inProcessFiles).toHaveLength(4);
    expect(JSON.stringify(spectrum).length).toBeLessThan(20_000);
    // Same repository → same spectrum and same patch.
    const again = await runDebug({ workspace: fixMe }, directDebugEnvironment(fixMe));
    expect(again.patch).toEqual(outcome.patch);
  }, 120_000);

  it("fails with ExecutionError and the localisation when the search budget is too small", async () => {
    const error = await runDebug({ workspace: fixMe, maxCandidates: 2 }, directDebugEnvironment(fixMe)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ExecutionError", message: "no candidate repair among 2 made the tests pass" });
    const partial = (error as { partial: { artifacts: { kind: string }[] } }).partial.artifacts;
    expect(partial.map((a) => a.kind)).toEqual(["coverage_hint", "analysis", "analysis", "analysis", "analysis", "analysis"]);
  }, 120_000);

  it("retrieves code from the context store when it holds the suspicious lines", async () => {
    const env = directDebugEnvironment(fixMe);
    const source = await readFile(path.join(fixMe, "src/discount.js"), "utf8");
    const queries: string[] = [];
    env.searchContext = async (text) => {
      queries.push(text);
      return [{ id: "1", score: 1, doc: { kind: "code", key: "discount", path: "src/discount.js", content: source.split("\n").slice(19, 40).join("\n"), startLine: 20, endLine: 40 } }];
    };
    const error = await runDebug({ workspace: fixMe, maxCandidates: 1 }, env).catch((e: unknown) => e);
    const analyses = (error as { partial: { artifacts: { kind: string; details?: string }[] } }).partial.artifacts.filter((a) => a.kind === "analysis");
    expect(queries[0]).toBe("src/discount.js line 28");
    expect(analyses[0]?.details).toContain(">  28 |   return 0;");
    expect(analyses[0]?.details).toContain("   27 |   if (quantity > 10) return 5;");
  }, 120_000);

  it("reports nothing to fix on a passing suite, and refuses suites it cannot localise on", async () => {
    const zoo = path.resolve(fixMe, "../bug-zoo");
    const clean = await runDebug({ workspace: zoo }, directDebugEnvironment(zoo));
    expect(clean.patch).toBeUndefined();
    expect(clean.artifacts[0]).toMatchObject({ kind: "text", content: "all 21 tests pass when run one by one; no patch proposed" });
    const dir = await tempDir("debug-vitest-");
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ scripts: { test: "vitest" } }));
    await expect(runDebug({ workspace: dir }, directDebugEnvironment(dir))).rejects.toMatchObject({ code: "ExecutionError", message: expect.stringContaining("is vitest") });
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ scripts: { test: "node --test spec/" } }));
    await expect(runDebug({ workspace: dir }, directDebugEnvironment(dir))).rejects.toMatchObject({ code: "ValidationFailure", message: expect.stringContaining("no node:test files") });
  }, 120_000);

  it("counts a test file that fails to load as a failing test", async () => {
    const dir = await tempDir("debug-load-");
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module", scripts: { test: "node --test" } }));
    await writeFile(path.join(dir, "lib.js"), "export const limit = 3;\nif (limit > 2) throw new Error('limit too high');\n");
    await writeFile(path.join(dir, "lib.test.js"), "import { test } from 'node:test';\nimport { limit } from './lib.js';\ntest('limit', () => {});\n");
    const error = await runDebug({ workspace: dir, maxCandidates: 40 }, directDebugEnvironment(dir)).then((o) => o, (e: unknown) => e);
    // The load failure is localised to lib.js; the search repairs it by a boundary/relational change.
    const outcome = error as { patch?: { target: string; diff: string } };
    expect(outcome.patch?.target).toBe("lib.js");
  }, 120_000);

  it("stops when the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runDebug({ workspace: fixMe }, directDebugEnvironment(fixMe, [], controller.signal))).rejects.toThrow(/aborted/);
  });
});

describe("debug agent through the Orchestrator", () => {
  it("fix-failing-test offline: TestExec fails, Debug patches, CodeGen applies, TestExec passes; replay is identical", async () => {
    const dir = await tempDir("debug-orch-");
    const repo = path.join(dir, "repo");
    await cp(fixMe, repo, { recursive: true });
    const orchestrator = new Orchestrator({ dir: path.join(dir, "state"), durability: "none" });
    for (const agent of [createTestExecAgent(), createDebugAgent(), createCodeGenAgent()]) orchestrator.register(agent);
    try {
      const before = (await orchestrator.submit(createTask({ agent: "testexec", payload: { workspace: repo } }), { wait: true })) as AgentError;
      expect(before.error.code).toBe("TestFailure");
      const debugTask = createTask({ agent: "debug", payload: { workspace: repo } });
      const debugged = (await orchestrator.submit(debugTask, { wait: true })) as AgentResult;
      expect(debugged.type).toBe("AgentResult");
      const patch = debugged.payload.artifacts?.find((a): a is PatchArtifact => a.kind === "patch");
      expect(patch?.target).toBe("src/discount.js");
      const applied = await orchestrator.submit(createTask({ agent: "codegen", payload: { workspace: repo, changes: [{ path: patch!.target, diff: patch!.diff }] } }), { wait: true });
      expect(applied.type).toBe("AgentResult");
      expect(await readFile(path.join(repo, "src/discount.js"), "utf8")).toContain("if (quantity >= 10) return 5;");
      const after = await orchestrator.submit(createTask({ agent: "testexec", payload: { workspace: repo } }), { wait: true });
      expect(after.type).toBe("AgentResult");

      let debugRunId: string | undefined;
      for (const runId of await orchestrator.listRuns()) {
        const journal = await orchestrator.readJournal(runId);
        if (journal.some((e) => e.type === "TaskSubmitted" && e.taskId === debugTask.id)) {
          debugRunId = runId;
          const tools = journal.filter((e) => e.type === "ToolCalled").map((e) => (e as { tool: string }).tool);
          expect(tools).toContain("debug.spectrum");
          expect(tools).toContain("debug.repair-search");
        }
      }
      expect(debugRunId).toBeDefined();
      // Replay re-executes the agent against the recorded effects only (no sandbox runs, no disk).
      const report = await orchestrator.replay(debugRunId as string);
      expect(report.identical).toBe(true);
    } finally {
      await orchestrator.close();
    }
  }, 180_000);

  it("with a model: verifies the model's diff and uses it; falls back to the search when it is wrong", async () => {
    const goodDiff = [
      "Here is the fix:",
      "```diff",
      "--- a/src/discount.js",
      "+++ b/src/discount.js",
      "@@ -24,6 +24,6 @@",
      "  */",
      " export function bulkDiscountPercent(quantity) {",
      "   if (quantity >= 50) return 10;",
      "-  if (quantity > 10) return 5;",
      "+  if (quantity > 9) return 5;",
      "   return 0;",
      " }",
      "```",
    ].join("\n");
    const seen: ModelRequest[] = [];
    const dir = await tempDir("debug-model-");
    const orchestrator = new Orchestrator({ dir: path.join(dir, "state"), durability: "none" });
    orchestrator.register(createDebugAgent({ model: scriptedModel(["I think it is fine.", goodDiff], seen) }));
    try {
      const result = (await orchestrator.submit(createTask({ agent: "debug", payload: { workspace: fixMe } }), { wait: true })) as AgentResult;
      expect(result.type).toBe("AgentResult");
      const patch = result.payload.artifacts?.find((a): a is PatchArtifact => a.kind === "patch");
      expect(patch?.diff).toContain("+  if (quantity > 9) return 5;");
      expect(seen).toHaveLength(2);
      expect(seen[0]?.messages[0]?.content).toContain("ten units get five percent");
      expect(seen[0]?.messages[0]?.content).toContain(">  27 |   if (quantity > 10) return 5;");
      expect(seen[1]?.messages.at(-1)?.content).toContain("holds no unified diff");
    } finally {
      await orchestrator.close();
    }

    const fallback = createDebugAgent({ model: scriptedModel(["nothing", "still nothing"]) });
    const orchestrator2 = new Orchestrator({ dir: path.join(dir, "state2"), durability: "none" });
    orchestrator2.register(fallback);
    try {
      const result = (await orchestrator2.submit(createTask({ agent: "debug", payload: { workspace: fixMe } }), { wait: true })) as AgentResult;
      const text = result.payload.artifacts?.find((a) => a.kind === "text");
      expect(text).toMatchObject({ content: expect.stringContaining("(mutation-search)") as string });
    } finally {
      await orchestrator2.close();
    }
  }, 180_000);
});
