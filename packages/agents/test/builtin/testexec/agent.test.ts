import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createTask, type AgentError, type AgentResult, type Artifact } from "@vltair/envelopes";
import { Orchestrator } from "@vltair/orchestrator";
import { describe, expect, it } from "vitest";
import { createTestExecAgent } from "../../../src/builtin/testexec/agent.js";
import { runTestSuite } from "../../../src/builtin/testexec/test-suite.js";
import { runSandboxed } from "../../../src/sandbox/run-sandboxed.js";
import { listFilesRecursive } from "../debug/environment.js";
import { tempDir } from "../../temp-dir.js";

const fixMe = path.resolve(import.meta.dirname, "../../../../../examples/fix-me");
function env(root: string) {
  return {
    workspace: { readFile: (f: string) => readFile(path.join(root, f), "utf8"), listFiles: () => listFilesRecursive(root) },
    runInSandbox: runSandboxed,
  };
}

describe("runTestSuite on real repositories", () => {
  it("runs fix-me's node:test suite in the sandbox and parses 20 results, 2 failing with file:line", async () => {
    const report = await runTestSuite({ workspace: fixMe }, env(fixMe));
    expect(report.command).toMatchObject({ framework: "node:test", args: ["--test", "--test-reporter=tap"] });
    expect(report.results).toHaveLength(20);
    const failed = report.results.filter((r) => r.status === "fail");
    expect(failed.map((r) => `${r.file}:${r.line} ${r.name}`)).toEqual([
      "test/cart.test.js:27 cartTotal applies the bulk discount at ten units",
      "test/discount.test.js:16 ten units get five percent",
    ]);
    expect(failed[1]?.message).toContain("0 !== 5");
  });

  it("judges an unknown script by its exit code and says so", async () => {
    const dir = await tempDir("testexec-script-");
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ scripts: { test: "node check.mjs && echo checked" } }));
    await writeFile(path.join(dir, "check.mjs"), "process.exit(3);\n");
    const report = await runTestSuite({ workspace: dir }, env(dir));
    expect(report.command.framework).toBe("script");
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ status: "error" });
    expect(report.results[0]?.message).toContain("exit code 3");
    expect(report.notes.join(" ")).toMatch(/exit code only/);
  });

  it("reports a timed-out suite as a timeout, never as green", async () => {
    const dir = await tempDir("testexec-hang-");
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ scripts: { test: "node --test" } }));
    await writeFile(path.join(dir, "hang.test.mjs"), "import { test } from 'node:test';\ntest('hangs', () => new Promise(() => setInterval(() => {}, 1000)));\n");
    const report = await runTestSuite({ workspace: dir, timeoutMs: 3000 }, env(dir));
    expect(report.limitHit).toBe("wall");
    expect(report.results.some((r) => r.status === "timeout")).toBe(true);
  });
});

describe("testexec agent through the Orchestrator", () => {
  it("fails fix-me with TestFailure and per-test artifacts, passes a repaired copy", async () => {
    const dir = await tempDir("testexec-orch-");
    const orchestrator = new Orchestrator({ dir: path.join(dir, "state"), durability: "none" });
    orchestrator.register(createTestExecAgent());
    try {
      const failed = (await orchestrator.submit(createTask({ agent: "testexec", payload: { workspace: fixMe } }), { wait: true })) as AgentError;
      expect(failed.type).toBe("AgentError");
      expect(failed.error.code).toBe("TestFailure");
      expect(failed.error.retryable).toBe(false);
      expect(failed.error.message).toMatch(/^2 of 20 tests failed: cartTotal applies the bulk discount at ten units \(test\/cart\.test\.js:27\)/);
      const results = (failed.partial?.artifacts ?? []).filter((a: Artifact) => a.kind === "test_result");
      expect(results).toHaveLength(20);

      const repaired = path.join(dir, "repo");
      await cp(fixMe, repaired, { recursive: true });
      const source = await readFile(path.join(repaired, "src/discount.js"), "utf8");
      await writeFile(path.join(repaired, "src/discount.js"), source.replace("quantity > 10", "quantity >= 10"));
      const passed = (await orchestrator.submit(createTask({ agent: "testexec", payload: { workspace: repaired } }), { wait: true })) as AgentResult;
      expect(passed.type).toBe("AgentResult");
      const artifacts = passed.payload.artifacts ?? [];
      expect(artifacts.filter((a) => a.kind === "test_result" && a.status === "pass")).toHaveLength(20);
      expect(artifacts.at(-1)).toMatchObject({ kind: "text", title: "test run summary" });
    } finally {
      await orchestrator.close();
    }
  }, 60_000);

  it("rejects a bad payload with ValidationFailure", async () => {
    const agent = createTestExecAgent();
    expect(agent).toMatchObject({ name: "testexec", version: "1.0.0", capabilities: ["test.run"] });
    expect(() => agent.validatePayload({ command: [] })).toThrow(/workspace/);
  });
});
