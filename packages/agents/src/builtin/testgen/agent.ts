/**
 * `TestGenAgent` (`testgen`): writes runnable tests for a workspace's modules from their exported
 * functions' JSDoc `@example` blocks (plus, with a model, extra cases that parse), and reports each new
 * or changed test file as a `patch` artifact.
 */
import type { AgentTask, Artifact, PatchArtifact, TestGenPayload } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import { AgentFailure, type AgentOutput } from "@vltair/orchestrator";
import type { AgentKitContext } from "../../sdk/agent-kit-context.js";
import { defineAgent, type DefinedAgent } from "../../sdk/define-agent.js";
import type { BuiltinAgentOptions } from "../options.js";
import { normaliseWorkspacePath } from "../codegen/changes.js";
import { parseDiagnostics } from "../../typescript/compile-check.js";
import type { ExampleAssertion } from "./example-parser.js";
import { createFileDiff } from "../../patching/patch-create.js";
import { exportedFunctions, type ExportedFunction } from "./exports.js";
import { formatFunctionsForPrompt, readModelCases } from "./model.js";
import { discoverModules } from "./modules.js";
import { detectFramework, generatedTestPath, hasCheckableExamples, renderTestFile } from "./render.js";
import type { GeneratedTestFramework } from "../../testing/test-framework.js";

/** What TestGen made of one module. */
interface ModuleOutcome {
  readonly module: string;
  readonly testPath: string;
  /** The test file; `undefined` when no function had anything to test. */
  readonly file: string | undefined;
  readonly tested: readonly string[];
  /** Functions without checkable `@example` assertions (and no model cases). */
  readonly skipped: readonly string[];
  /** Functions whose examples do not parse as test code. */
  readonly unparseable: readonly string[];
  /** One line per model remark (cases kept / dropped / unusable answer). */
  readonly modelNotes: readonly string[];
}

function failure(message: string, cause?: unknown): AgentFailure {
  return new AgentFailure("ValidationFailure", `testgen: ${message}`, cause === undefined ? {} : { cause });
}

/** The modules to cover: the payload's (normalised, existing) or every source module of the workspace. */
async function selectModules(ctx: AgentKitContext<TestGenPayload>): Promise<string[]> {
  if (ctx.payload.modules === undefined) return discoverModules(ctx.workspace);
  let modules: string[];
  try {
    modules = [...new Set(ctx.payload.modules.map(normaliseWorkspacePath))].sort();
  } catch (error) {
    throw failure((error as Error).message, error);
  }
  const missing: string[] = [];
  for (const m of modules) if (!(await ctx.workspace.exists(m))) missing.push(m);
  if (missing.length > 0) throw failure(`no such module in the workspace: ${missing.join(", ")}`);
  return modules;
}

/** Two modules whose tests would land in the same file (`src/a/x.js`, `src/b/x.js`) cannot both be covered. */
function checkDistinctTestPaths(modules: readonly string[]): void {
  const byTest = new Map<string, string[]>();
  for (const m of modules) byTest.set(generatedTestPath(m), [...(byTest.get(generatedTestPath(m)) ?? []), m]);
  const clashes = [...byTest.entries()].filter(([, ms]) => ms.length > 1);
  if (clashes.length > 0) {
    throw failure(`modules would share a generated test file: ${clashes.map(([t, ms]) => `${ms.join(" and ")} → ${t}`).join("; ")}; list them in separate tasks`);
  }
}

async function modelCasesFor(
  ctx: AgentKitContext<TestGenPayload>,
  module: string,
  source: string,
  functions: readonly ExportedFunction[],
  framework: GeneratedTestFramework,
): Promise<{ cases: Map<string, ExampleAssertion[]>; notes: string[] }> {
  const model = ctx.model;
  if (model === undefined || functions.length === 0) return { cases: new Map(), notes: [] };
  const prompt = ctx.prompts.load("testgen");
  const answer = await model.chat(prompt.render({ framework, module, source, functions: formatFunctionsForPrompt(functions) }), { promptId: prompt.id });
  const read = readModelCases(answer.content, functions, framework);
  if (read === undefined) return { cases: new Map(), notes: [`${module}: the model's answer was not the expected JSON; only documented examples were used`] };
  const kept = [...read.cases.values()].reduce((n, list) => n + list.length, 0);
  return { cases: read.cases, notes: [`${module}: ${kept} model case(s) kept, ${read.dropped.length} dropped`, ...read.dropped.map((d) => `${module}: dropped ${d}`)] };
}

/** Renders the test file, leaving out functions whose examples do not parse as test code. */
function renderParsing(
  module: string,
  functions: readonly ExportedFunction[],
  framework: GeneratedTestFramework,
  extra: ReadonlyMap<string, readonly ExampleAssertion[]>,
): { file: string | undefined; unparseable: string[] } {
  const testPath = generatedTestPath(module);
  const parses = (fns: readonly ExportedFunction[]) => {
    const file = renderTestFile(module, fns, framework, extra);
    return file === undefined || parseDiagnostics({ path: testPath, content: file }).length === 0;
  };
  const unparseable = functions.filter((f) => !parses([f])).map((f) => f.name);
  const kept = functions.filter((f) => !unparseable.includes(f.name));
  return { file: renderTestFile(module, kept, framework, extra), unparseable };
}

async function generateFor(ctx: AgentKitContext<TestGenPayload>, module: string, framework: GeneratedTestFramework): Promise<ModuleOutcome> {
  const source = await ctx.workspace.readFile(module);
  const functions = exportedFunctions(module, source);
  const { cases, notes } = await modelCasesFor(ctx, module, source, functions, framework);
  const { file, unparseable } = renderParsing(module, functions, framework, cases);
  const testable = (f: ExportedFunction) => !unparseable.includes(f.name) && (hasCheckableExamples(f) || (cases.get(f.name) ?? []).length > 0);
  return {
    module,
    testPath: generatedTestPath(module),
    file,
    tested: functions.filter(testable).map((f) => f.name),
    skipped: functions.filter((f) => !testable(f) && !unparseable.includes(f.name)).map((f) => f.name),
    unparseable,
    modelNotes: notes,
  };
}

function summary(outcomes: readonly ModuleOutcome[], framework: GeneratedTestFramework, written: number): string {
  const generated = outcomes.filter((o) => o.file !== undefined);
  const tested = generated.reduce((n, o) => n + o.tested.length, 0);
  const lines = [`${generated.length} test file(s) for ${tested} function(s) (${framework}); ${written} written, ${outcomes.length} module(s) read`];
  for (const o of generated) lines.push(`${o.testPath} ← ${o.module}: ${o.tested.join(", ")}`);
  const skipped = outcomes.flatMap((o) => o.skipped.map((f) => `${o.module}#${f}`));
  lines.push(`skipped for lack of @example: ${skipped.length === 0 ? "none" : skipped.join(", ")}`);
  const unparseable = outcomes.flatMap((o) => o.unparseable.map((f) => `${o.module}#${f}`));
  if (unparseable.length > 0) lines.push(`skipped, @example does not parse as test code: ${unparseable.join(", ")}`);
  lines.push(...outcomes.flatMap((o) => o.modelNotes));
  return lines.join("\n");
}

async function runTestGen(_task: AgentTask, ctx: AgentKitContext<TestGenPayload>): Promise<AgentOutput> {
  const packageJson = (await ctx.workspace.exists("package.json")) ? await ctx.workspace.readFile("package.json") : undefined;
  const framework = ctx.payload.framework ?? detectFramework(packageJson);
  const modules = await selectModules(ctx);
  checkDistinctTestPaths(modules);
  const outcomes: ModuleOutcome[] = [];
  for (const module of modules) {
    ctx.signal.throwIfAborted();
    outcomes.push(await generateFor(ctx, module, framework));
  }
  const patches: PatchArtifact[] = [];
  for (const o of outcomes) {
    if (o.file === undefined) continue;
    const before = (await ctx.workspace.exists(o.testPath)) ? await ctx.workspace.readFile(o.testPath) : undefined;
    if (before === o.file) continue;
    await ctx.workspace.writeFile(o.testPath, o.file);
    patches.push({ kind: "patch", target: o.testPath, diff: createFileDiff(o.testPath, before, o.file) });
  }
  const artifacts: Artifact[] = [...patches, { kind: "text", title: "test generation summary", content: summary(outcomes, framework, patches.length) }];
  const diff = patches.map((p) => p.diff).join("");
  return { payload: diff === "" ? { artifacts } : { delta: { diff }, artifacts } };
}

/**
 * Creates the `testgen` agent (capability `test.generate`). Offline it turns `@example` lines such as
 * `add(2, 3) // => 5` or `divide(1, 0); // throws` into node:test or vitest tests under
 * `test/<module>.generated.test.*`; with a model it adds the model's extra cases that parse.
 *
 * @example
 * ```ts
 * orchestrator.register(createTestGenAgent());
 * await orchestrator.submit(createTask({ agent: "testgen", payload: { workspace: ".", modules: ["src/math.js"] } }));
 * ```
 */
export function createTestGenAgent(options: BuiltinAgentOptions = {}): DefinedAgent<TestGenPayload> {
  return defineAgent<TestGenPayload>({
    name: "testgen",
    version: "1.0.0",
    capabilities: ["test.generate"],
    payloadSchema: (payload) => validatePayload("testgen", payload),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.prompts === undefined ? {} : { prompts: options.prompts }),
    run: runTestGen,
  });
}
