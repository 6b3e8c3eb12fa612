/**
 * `CodeGenAgent` (`codegen`): applies explicit changes, dependency patches, or a model's diff for some
 * instructions; checks that every changed TS/JS file parses and type-checks BEFORE writing anything.
 */
import { createHash } from "node:crypto";
import type { AgentTask, Artifact, CodeGenPayload } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import { AgentFailure, type AgentOutput } from "@vltair/orchestrator";
import type { AgentKitContext } from "../../sdk/agent-kit-context.js";
import { defineAgent, type DefinedAgent } from "../../sdk/define-agent.js";
import type { BuiltinAgentOptions } from "../options.js";
import { changesFromDiff, planChanges, type CodeGenChange, type PlannedFile } from "./changes.js";
import { extractDiff, formatContextHits, formatFilesForPrompt, ModelOutputError } from "./model.js";
import { checkChangedSources, formatDiagnostic, type SourceDiagnostic } from "../../typescript/compile-check.js";
import { PatchApplyError } from "../../patching/patch-apply.js";
import { createFileDiff, diffStat } from "../../patching/patch-create.js";

/** How many context-store hits the model path retrieves. */
const CONTEXT_HITS = 5;

/** Converts the core modules' typed errors (`code` = ValidationFailure / ExecutionError) to AgentFailure. */
function asFailure(error: unknown, fromModel: boolean): unknown {
  if (error instanceof AgentFailure || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (fromModel && (code === "ValidationFailure" || code === "ExecutionError" || error instanceof ModelOutputError)) {
    return new AgentFailure("UnexpectedOutput", `the model's diff is unusable: ${error.message}`, { retryable: true, cause: error });
  }
  if (error instanceof PatchApplyError) {
    return new AgentFailure("ExecutionError", error.message, {
      details: { file: error.file, hunk: error.hunk, hunkHeader: error.hunkHeader },
      cause: error,
    });
  }
  if (code === "ValidationFailure") return new AgentFailure("ValidationFailure", error.message, { cause: error });
  return error;
}

/** The `patch` artifacts of the dependsOn results, in `dependsOn` order, as per-file diff changes. */
function dependencyChanges(task: AgentTask, ctx: AgentKitContext<CodeGenPayload>): CodeGenChange[] {
  const changes: CodeGenChange[] = [];
  for (const id of task.dependsOn ?? []) {
    const result = ctx.dependencies.get(id);
    for (const artifact of result?.payload.artifacts ?? []) {
      if (artifact.kind === "patch") changes.push(...changesFromDiff(artifact.diff, artifact.target));
    }
  }
  if (changes.length === 0) {
    throw new AgentFailure("DependencyFailed", `fromDependencies: none of the dependencies [${(task.dependsOn ?? []).join(", ")}] produced a patch artifact`);
  }
  return changes;
}

async function readIfPresent(ctx: AgentKitContext<CodeGenPayload>, path: string): Promise<string | undefined> {
  return (await ctx.workspace.exists(path)) ? ctx.workspace.readFile(path) : undefined;
}

/** Asks the model for a unified diff implementing the instructions, with target files and retrieved context. */
async function modelChanges(ctx: AgentKitContext<CodeGenPayload>, instructions: string): Promise<CodeGenChange[]> {
  const model = ctx.model;
  /* v8 ignore next -- the caller checks for a model */
  if (model === undefined) return [];
  const files = [];
  for (const path of [...new Set(ctx.payload.targetFiles ?? [])].sort()) files.push({ path, content: await readIfPresent(ctx, path) });
  const hits = ctx.context === undefined ? [] : await ctx.context.search(instructions, { k: CONTEXT_HITS, mode: "hybrid" });
  const prompt = ctx.prompts.load("codegen");
  const answer = await model.chat(
    prompt.render({ instructions, files: formatFilesForPrompt(files), context: formatContextHits(hits) }),
    { promptId: prompt.id },
  );
  try {
    return changesFromDiff(extractDiff(answer.content), ctx.payload.targetFiles?.[0] ?? "");
  } catch (error) {
    throw asFailure(error, true);
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Parse + type check of the planned contents, as one journaled effect (replay never runs the compiler). */
function checkPlanned(ctx: AgentKitContext<CodeGenPayload>, planned: readonly PlannedFile[]): Promise<SourceDiagnostic[]> {
  const root = ctx.workspace.root;
  const input = { root, files: planned.map((f) => ({ path: f.path, sha256: sha256(f.after) })) };
  return ctx.effect("typescript.check", input, async () =>
    checkChangedSources(root, planned.map((f) => ({ path: f.path, content: f.after }))),
  );
}

/** The agent's handler: collect changes → plan → check → write → report. */
export async function runCodeGen(task: AgentTask, ctx: AgentKitContext<CodeGenPayload>): Promise<AgentOutput> {
  const payload = ctx.payload;
  const changes: CodeGenChange[] = [];
  let fromModel = false;
  try {
    if (payload.fromDependencies === true) changes.push(...dependencyChanges(task, ctx));
    changes.push(...(payload.changes ?? []));
    if (payload.instructions !== undefined && ctx.model !== undefined) {
      changes.push(...(await modelChanges(ctx, payload.instructions)));
      fromModel = true;
    }
    if (changes.length === 0) {
      const why = payload.instructions === undefined ? "" : " (instructions need a model, and none is configured)";
      throw new AgentFailure("ValidationFailure", `codegen: nothing to change: no changes, no dependency patches${why}`);
    }
    ctx.signal.throwIfAborted();
    const planned = await planChanges(changes, (path) => readIfPresent(ctx, path));
    const patches = planned.map((f) => ({ kind: "patch" as const, target: f.path, diff: createFileDiff(f.path, f.before, f.after) }));
    const diagnostics = await checkPlanned(ctx, planned);
    if (diagnostics.length > 0) {
      throw new AgentFailure(
        fromModel ? "UnexpectedOutput" : "ValidationFailure",
        `codegen: the change does not compile, nothing was written:\n${diagnostics.map(formatDiagnostic).join("\n")}`,
        { retryable: fromModel, details: { diagnostics }, partial: { artifacts: patches } },
      );
    }
    ctx.signal.throwIfAborted();
    for (const f of planned) await ctx.workspace.writeFile(f.path, f.after);
    const diff = patches.map((p) => p.diff).join("");
    const stat = diffStat(diff);
    const artifacts: Artifact[] = [
      ...patches,
      { kind: "diff_summary", summary: { files_changed: planned.length, insertions: stat.insertions, deletions: stat.deletions } },
    ];
    return { payload: { delta: { diff }, artifacts } };
  } catch (error) {
    throw asFailure(error, fromModel);
  }
}

/**
 * Creates the `codegen` agent (capability `code.write`).
 *
 * @example
 * ```ts
 * orchestrator.register(createCodeGenAgent());
 * await orchestrator.submit(createTask({ agent: "codegen", payload: { workspace: ".", changes: [{ path: "a.ts", content: "export {};\n" }] } }));
 * ```
 */
export function createCodeGenAgent(options: BuiltinAgentOptions = {}): DefinedAgent<CodeGenPayload> {
  return defineAgent<CodeGenPayload>({
    name: "codegen",
    version: "1.0.0",
    capabilities: ["code.write"],
    payloadSchema: (payload) => validatePayload("codegen", payload),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.prompts === undefined ? {} : { prompts: options.prompts }),
    run: runCodeGen,
  });
}
