import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { AgentError, AgentResult, AgentTask, PatchArtifact, TextArtifact } from "@vltair/envelopes";
import { Orchestrator } from "@vltair/orchestrator";
import { applyPatch } from "diff";
import { describe, expect, it } from "vitest";
import { createTestGenAgent } from "../../../src/builtin/testgen/agent.js";
import { isSourceModule } from "../../../src/builtin/testgen/modules.js";
import { MockModel } from "../../../src/model/mock-model.js";
import { tempDir } from "../../temp-dir.js";

const exec = promisify(execFile);

const MATH = `/**
 * Adds two numbers.
 * @example
 * add(2, 3) // => 5
 */
export function add(a, b) {
  return a + b;
}

/**
 * Divides, refusing zero.
 * @example
 * divide(6, 3) // => 2
 * divide(1, 0); // throws
 */
export function divide(a, b) {
  if (b === 0) throw new RangeError("division by zero");
  return a / b;
}

/** Clamps a number into [lo, hi]. */
export const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** No examples. */
export function identity(x) {
  return x;
}
`;

const WORDS = `/**
 * @example
 * words("a b") // => ["a", "b"]
 */
export function words(text) {
  return text.split(" ");
}
`;


async function repo(files: Record<string, string>): Promise<string> {
  const root = await tempDir("vltair-testgen-agent-");
  for (const [path, text] of Object.entries({ "package.json": '{ "type": "module" }\n', ...files })) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

async function generate(payload: Record<string, unknown>, model?: MockModel, runId?: string): Promise<{ outcome: AgentResult | AgentError; orchestrator: Orchestrator }> {
  const orchestrator = new Orchestrator({ dir: await tempDir("vltair-testgen-orch-") });
  orchestrator.register(createTestGenAgent(model === undefined ? {} : { model }));
  const task: AgentTask = { type: "AgentTask", id: "tg", agent: "testgen", payload };
  if (runId === undefined) {
    const outcome = await orchestrator.submit(task, { wait: true });
    await orchestrator.close();
    return { outcome, orchestrator };
  }
  const run = await orchestrator.startRun({ runId });
  const outcome = await run.submit(task);
  await run.finish();
  return { outcome, orchestrator };
}

function result(outcome: AgentResult | AgentError): AgentResult {
  if (outcome.type === "AgentError") throw new Error(`expected a result, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome;
}
const patchesOf = (r: AgentResult) => (r.payload.artifacts ?? []).filter((a): a is PatchArtifact => a.kind === "patch");
const summaryOf = (r: AgentResult) => (r.payload.artifacts ?? []).find((a): a is TextArtifact => a.kind === "text")?.content ?? "";

async function nodeTest(root: string): Promise<{ code: number; out: string }> {
  return exec(process.execPath, ["--test", "test/"], { cwd: root }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
}

describe("testgen agent in a real Orchestrator", () => {
  it("writes node:test files from @example blocks that pass on the module and fail on mutants", async () => {
    const root = await repo({ "src/math.js": MATH, "src/text/words.mjs": WORDS, "test/old.test.js": "export {};\n" });
    const { outcome } = await generate({ workspace: root });
    const r = result(outcome);
    const patches = patchesOf(r);
    expect(patches.map((p) => p.target)).toEqual(["test/math.generated.test.js", "test/words.generated.test.mjs"]);
    for (const p of patches) {
      const written = await readFile(join(root, p.target), "utf8");
      expect(p.diff).toContain("new file mode 100644");
      expect(applyPatch("", p.diff)).toBe(written);
    }
    expect(r.payload.delta?.diff).toBe(patches.map((p) => p.diff).join(""));
    const summary = summaryOf(r);
    expect(summary).toContain("2 test file(s) for 3 function(s) (node:test); 2 written, 2 module(s) read");
    expect(summary).toContain("skipped for lack of @example: src/math.js#clamp, src/math.js#identity");

    const pass = await nodeTest(root);
    expect(pass.out).toMatch(/# pass 4/);
    expect(pass.code).toBe(0);
    for (const mutant of [MATH.replace("return a + b;", "return a * b;"), MATH.replace('if (b === 0) throw new RangeError("division by zero");', "")]) {
      await writeFile(join(root, "src/math.js"), mutant);
      const fail = await nodeTest(root);
      expect(fail.code).not.toBe(0);
      expect(fail.out).toMatch(/# fail 1/);
    }
  });

  it("rewrites nothing when the tests are already current, and reports the diff of a changed file", async () => {
    const root = await repo({ "src/math.js": MATH });
    const first = result((await generate({ workspace: root, modules: ["./src/math.js"] })).outcome);
    expect(patchesOf(first)).toHaveLength(1);
    const again = result((await generate({ workspace: root, modules: ["src/math.js"] })).outcome);
    expect(patchesOf(again)).toEqual([]);
    expect(again.payload.delta).toBeUndefined();
    expect(summaryOf(again)).toContain("1 test file(s) for 2 function(s) (node:test); 0 written");
    await writeFile(join(root, "src/math.js"), MATH.replace("add(2, 3) // => 5", "add(2, 3) // => 5\n * add(0, 0) // => 0"));
    const changed = result((await generate({ workspace: root, modules: ["src/math.js"] })).outcome);
    const [patch] = patchesOf(changed);
    expect(patch?.diff).not.toContain("new file mode");
    expect(patch?.diff).toContain("+  assert.deepStrictEqual(await (add(0, 0)), 0);");
  });

  it("writes vitest files when the project uses vitest, and TypeScript tests for TypeScript modules", async () => {
    const root = await repo({
      "package.json": '{ "type": "module", "devDependencies": { "vitest": "4.1.12" } }\n',
      "src/sum.ts": "/**\n * @example\n * sum([1, 2]) // => 3\n */\nexport function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n",
    });
    const r = result((await generate({ workspace: root })).outcome);
    expect(patchesOf(r).map((p) => p.target)).toEqual(["test/sum.generated.test.ts"]);
    const file = await readFile(join(root, "test/sum.generated.test.ts"), "utf8");
    expect(file).toContain('import { expect, test } from "vitest";');
    expect(file).toContain('import { sum } from "../src/sum.ts";');
    expect(file).toContain("expect(await (sum([1, 2]))).toEqual(3);");
  });

  it("adds the model's cases that parse and call their function, and drops the rest", async () => {
    const root = await repo({ "src/math.js": MATH });
    const answer = [
      "Here are the cases:",
      "```json",
      JSON.stringify({
        cases: [
          { function: "clamp", example: "clamp(5, 0, 3) // => 3" },
          { function: "clamp", example: "clamp(-1, 0, 3) // => 0" },
          { function: "add", example: "add(2, 3) // => 5" },
          { function: "add", example: "add(2, // => 4" },
          { function: "add", example: "Math.max(1, 2) // => 2" },
          { function: "nope", example: "nope() // => 1" },
        ],
      }),
      "```",
    ].join("\n");
    const model = new MockModel([answer]);
    const r = result((await generate({ workspace: root, modules: ["src/math.js"] }, model)).outcome);
    expect(model.requests).toHaveLength(1);
    const prompt = model.requests[0]?.messages[0]?.content ?? "";
    expect(prompt).toContain("- divide(a, b)\n    divide(6, 3) // => 2");
    expect(prompt).toContain("- identity(x) (no documented examples)");
    const file = await readFile(join(root, "test/math.generated.test.js"), "utf8");
    expect(file).toContain('test("clamp: model-generated cases"');
    expect(file).toContain("assert.deepStrictEqual(await (clamp(-1, 0, 3)), 0);");
    expect(file).not.toContain("Math.max(1, 2)");
    const summary = summaryOf(r);
    expect(summary).toContain("src/math.js: 2 model case(s) kept, 3 dropped");
    expect(summary).toContain("skipped for lack of @example: src/math.js#identity");
    expect(summary).toMatch(/dropped case 6: not a \{ function, example \} pair/);
    const run = await nodeTest(root);
    expect(run.out).toMatch(/# pass 3/);
    expect(run.code).toBe(0);
  });

  it("keeps the documented tests when the model's answer is unusable", async () => {
    const root = await repo({ "src/math.js": MATH });
    const r = result((await generate({ workspace: root, modules: ["src/math.js"] }, new MockModel(["I cannot help with that."]))).outcome);
    expect(patchesOf(r)).toHaveLength(1);
    expect(summaryOf(r)).toContain("src/math.js: the model's answer was not the expected JSON; only documented examples were used");
  });

  it("leaves out functions whose examples do not parse as test code", async () => {
    const root = await repo({ "src/bad.js": "/**\n * @example\n * broken(1 // => 2\n */\nexport function broken(x) {\n  return x;\n}\n/**\n * @example\n * fine(1) // => 1\n */\nexport const fine = (x) => x;\n" });
    const r = result((await generate({ workspace: root })).outcome);
    expect(summaryOf(r)).toContain("skipped, @example does not parse as test code: src/bad.js#broken");
    const file = await readFile(join(root, "test/bad.generated.test.js"), "utf8");
    expect(file).toContain('import { fine } from "../src/bad.js";');
    expect((await nodeTest(root)).code).toBe(0);
  });

  it("fails bad input with ValidationFailure naming the problem", async () => {
    const root = await repo({ "src/a/util.js": WORDS, "src/b/util.js": WORDS });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ workspace: root, modules: ["src/missing.js"] }, /no such module in the workspace: src\/missing\.js/],
      [{ workspace: root, modules: ["../escape.js"] }, /'\.\.\/escape\.js' is not a relative path inside the workspace/],
      [{ workspace: root }, /src\/a\/util\.js and src\/b\/util\.js → test\/util\.generated\.test\.js/],
      [{ workspace: root, framework: "jest" }, /invalid payload/],
    ];
    for (const [payload, message] of cases) {
      const { outcome } = await generate(payload);
      expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure" } });
      expect((outcome as AgentError).error.message).toMatch(message);
    }
  });

  it("replays from the journal without touching the workspace", async () => {
    const root = await repo({ "src/math.js": MATH });
    const { outcome, orchestrator } = await generate({ workspace: root }, undefined, "tg-replay");
    try {
      expect(patchesOf(result(outcome))).toHaveLength(1);
      await rm(root, { recursive: true, force: true });
      const report = await orchestrator.replay("tg-replay");
      expect(report.identical).toBe(true);
    } finally {
      await orchestrator.close();
    }
  });

  it("treats only sources as modules", () => {
    expect(["src/a.js", "src/b.mts", "lib/c.mjs", "src/d.ts"].every(isSourceModule)).toBe(true);
    expect(["src/a.d.ts", "vitest.config.ts", "test/a.js", "src/a.test.ts", ".github/x.js", "README.md", "src/x.cjs"].some(isSourceModule)).toBe(false);
  });
});
