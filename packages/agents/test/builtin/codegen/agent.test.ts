import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AgentError, AgentResult, AgentTask, PatchArtifact } from "@vltair/envelopes";
import { Orchestrator } from "@vltair/orchestrator";
import { describe, expect, it } from "vitest";
import { createCodeGenAgent } from "../../../src/builtin/codegen/agent.js";
import { createFileDiff } from "../../../src/patching/patch-create.js";
import { defineAgent } from "../../../src/sdk/define-agent.js";
import { MockModel } from "../../../src/model/mock-model.js";
import { tempDir } from "../../temp-dir.js";

const MATH = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, skipLibCheck: true },
  include: ["src"],
});
const SUBTRACT = MATH + "\nexport function subtract(a: number, b: number): number {\n  return a - b;\n}\n";


async function repo(): Promise<string> {
  const root = await tempDir("vltair-codegen-agent-");
  for (const [path, text] of Object.entries({ "tsconfig.json": TSCONFIG, "src/math.ts": MATH })) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** A test agent that hands CodeGen a patch through its result, as Debug does. */
const producer = (diff: string) =>
  defineAgent({ name: "producer", version: "1", capabilities: [], run: async () => ({ payload: { artifacts: [{ kind: "patch", target: "src/math.ts", diff }] } }) });

async function submit(tasks: AgentTask[], model?: MockModel, extra: ReturnType<typeof producer>[] = []): Promise<(AgentResult | AgentError)[]> {
  const orchestrator = new Orchestrator({ dir: await tempDir("vltair-codegen-orch-") });
  orchestrator.register(createCodeGenAgent(model === undefined ? {} : { model }));
  for (const agent of extra) orchestrator.register(agent);
  try {
    const run = await orchestrator.startRun({ runId: "cg" });
    const outcomes = await run.submitAll(tasks);
    await run.finish();
    return outcomes;
  } finally {
    await orchestrator.close();
  }
}

const codegen = (payload: Record<string, unknown>, init: Partial<AgentTask> = {}): AgentTask => ({ type: "AgentTask", id: "cg-1", agent: "codegen", payload, ...init });
const one = async (payload: Record<string, unknown>, model?: MockModel, init: Partial<AgentTask> = {}) => (await submit([codegen(payload, init)], model))[0] as AgentResult | AgentError;

function result(outcome: AgentResult | AgentError | undefined): AgentResult {
  if (outcome?.type !== "AgentResult") throw new Error(`expected a result, got ${JSON.stringify(outcome)}`);
  return outcome;
}
const patches = (r: AgentResult) => (r.payload.artifacts ?? []).filter((a): a is PatchArtifact => a.kind === "patch");

describe("codegen agent in a real Orchestrator", () => {
  it("creates a file from explicit content and reports patch, diff summary and delta", async () => {
    const root = await repo();
    const content = 'import { add } from "./math.js";\nexport const twice = (n: number): number => add(n, n);\n';
    const r = result(await one({ workspace: root, changes: [{ path: "src/twice.ts", content }] }));
    expect(await readFile(join(root, "src/twice.ts"), "utf8")).toBe(content);
    expect(patches(r)).toEqual([{ kind: "patch", target: "src/twice.ts", diff: createFileDiff("src/twice.ts", undefined, content) }]);
    expect(r.payload.artifacts?.at(-1)).toEqual({ kind: "diff_summary", summary: { files_changed: 1, insertions: 2, deletions: 0 } });
    expect(r.payload.delta?.diff).toBe(patches(r)[0]?.diff);
  });

  it("applies a unified diff and a template", async () => {
    const root = await repo();
    const diff = createFileDiff("src/math.ts", MATH, SUBTRACT);
    const r = result(
      await one({
        workspace: root,
        changes: [
          { path: "src/math.ts", diff },
          { path: "src/greet.ts", template: "export const {{name}} = (): string => {{text}};\n", variables: { name: "hello", text: '"hi"' } },
        ],
      }),
    );
    expect(await readFile(join(root, "src/math.ts"), "utf8")).toBe(SUBTRACT);
    expect(await readFile(join(root, "src/greet.ts"), "utf8")).toBe('export const hello = (): string => "hi";\n');
    expect(patches(r).map((p) => p.target)).toEqual(["src/greet.ts", "src/math.ts"]);
  });

  it("applies the patch artifacts of the tasks it depends on", async () => {
    const root = await repo();
    const [, outcome] = await submit(
      [
        { type: "AgentTask", id: "make-patch", agent: "producer", payload: {} },
        codegen({ workspace: root, fromDependencies: true }, { dependsOn: ["make-patch"] }),
      ],
      undefined,
      [producer(createFileDiff("src/math.ts", MATH, SUBTRACT))],
    );
    expect(patches(result(outcome)).map((p) => p.target)).toEqual(["src/math.ts"]);
    expect(await readFile(join(root, "src/math.ts"), "utf8")).toBe(SUBTRACT);
  });

  it("fails fromDependencies without any patch from the dependencies", async () => {
    const root = await repo();
    const outcome = await one({ workspace: root, fromDependencies: true });
    expect(outcome).toMatchObject({ type: "AgentError", error: { code: "DependencyFailed", message: expect.stringMatching(/none of the dependencies \[\] produced a patch artifact/) } });
  });

  it("fails a diff that does not apply with ExecutionError naming file and hunk", async () => {
    const root = await repo();
    const stale = createFileDiff("src/math.ts", MATH.replace("a + b", "a + b + 0"), SUBTRACT);
    const outcome = await one({ workspace: root, changes: [{ path: "src/math.ts", diff: stale }] });
    expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ExecutionError", retryable: false, details: { file: "src/math.ts", hunk: 1 } } });
    expect((outcome as AgentError).error.message).toMatch(/src\/math\.ts: hunk 1 of 1 \(@@ .* @@\) does not apply cleanly/);
    expect(await readFile(join(root, "src/math.ts"), "utf8")).toBe(MATH);
  });

  it("refuses a change that breaks compilation and writes nothing", async () => {
    const root = await repo();
    const outcome = await one({
      workspace: root,
      changes: [
        { path: "src/new.ts", content: "export const fine = 1;\n" },
        { path: "src/math.ts", content: MATH.replace("return a + b;", 'return "sum";') },
      ],
    });
    expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure", details: { diagnostics: [{ file: "src/math.ts", line: 2, code: 2322 }] } } });
    expect((outcome as AgentError).error.message).toMatch(/does not compile, nothing was written:\nsrc\/math\.ts:2:3 - error TS2322/);
    expect((outcome as AgentError).partial?.artifacts?.map((a) => (a as PatchArtifact).target)).toEqual(["src/math.ts", "src/new.ts"]);
    expect(await readFile(join(root, "src/math.ts"), "utf8")).toBe(MATH);
    await expect(readFile(join(root, "src/new.ts"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("rejects bad payloads and instructions without a model", async () => {
    const root = await repo();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ workspace: root, changes: [{ path: "../x.ts", content: "" }] }, /'\.\.\/x\.ts' is not a relative path inside the workspace/],
      [{ workspace: root, changes: [{ path: "a.ts", template: "{{x}}" }] }, /template missing variables: x/],
      [{ workspace: root, instructions: "add subtract" }, /nothing to change.*instructions need a model/],
      [{ workspace: root, changes: [{ path: "a.ts" }] }, /invalid payload/],
    ];
    for (const [payload, message] of cases) {
      const outcome = await one(payload);
      expect(outcome).toMatchObject({ type: "AgentError", error: { code: "ValidationFailure" } });
      expect((outcome as AgentError).error.message).toMatch(message);
    }
  });

  it("asks the model for a diff with the target files, and applies it", async () => {
    const root = await repo();
    const model = new MockModel(["Sure:\n```diff\n" + createFileDiff("src/math.ts", MATH, SUBTRACT) + "```\n"]);
    const r = result(await one({ workspace: root, instructions: "add subtract", targetFiles: ["src/math.ts"] }, model));
    expect(patches(r).map((p) => p.target)).toEqual(["src/math.ts"]);
    expect(await readFile(join(root, "src/math.ts"), "utf8")).toBe(SUBTRACT);
    const prompt = model.requests[0]?.messages[0]?.content ?? "";
    expect(prompt).toContain("add subtract");
    expect(prompt).toContain(`=== src/math.ts\n${MATH}`);
  });

  it("fails unusable model output with UnexpectedOutput and writes nothing", async () => {
    const root = await repo();
    const once = { constraints: { maxAttempts: 1 } };
    const noDiff = await one({ workspace: root, instructions: "add subtract" }, new MockModel(["I would add a function."]), once);
    expect(noDiff).toMatchObject({ type: "AgentError", error: { code: "UnexpectedOutput", retryable: true, message: expect.stringMatching(/contains no unified diff/) } });
    const broken = createFileDiff("src/math.ts", MATH, MATH.replace("return a + b;", "return a +;"));
    const noCompile = await one({ workspace: root, instructions: "break it" }, new MockModel(["```diff\n" + broken + "```"]), once);
    expect(noCompile).toMatchObject({ type: "AgentError", error: { code: "UnexpectedOutput", message: expect.stringMatching(/TS1109/) } });
    const stale = createFileDiff("src/math.ts", "other\n", "other2\n");
    const noApply = await one({ workspace: root, instructions: "x" }, new MockModel(["```diff\n" + stale + "```"]), once);
    expect(noApply).toMatchObject({ type: "AgentError", error: { code: "UnexpectedOutput", message: expect.stringMatching(/the model's diff is unusable: src\/math\.ts: hunk 1/) } });
    expect(await readFile(join(root, "src/math.ts"), "utf8")).toBe(MATH);
  });

  it("retries unusable model output and succeeds on a usable second answer", async () => {
    const root = await repo();
    const model = new MockModel(["no diff here", "```diff\n" + createFileDiff("src/math.ts", MATH, SUBTRACT) + "```"]);
    const r = result(await one({ workspace: root, instructions: "add subtract", targetFiles: ["src/math.ts"] }, model));
    expect(model.requests).toHaveLength(2);
    expect(patches(r).map((p) => p.target)).toEqual(["src/math.ts"]);
  });
});
