import { readFile } from "node:fs/promises";
import type { Artifact, DebugPayload, PatchArtifact } from "@vltair/envelopes";
import { AgentFailure } from "@vltair/orchestrator";
import { resolveInside } from "../../workspace/workspace-io.js";
import { createFileDiff, diffStat } from "../../patching/patch-create.js";
import { coverageHintArtifact, numberedExcerpt, suspiciousLineArtifacts, type CodeSnippet } from "./fault-localisation.js";
import type { Mutation } from "./mutation-operators.js";
import { rankByOchiai, type SuspiciousLine } from "../../testing/coverage/ochiai.js";
import { createRepairVerifier, type FailingTestRef } from "./repair-verify.js";
import { searchRepair, type RepairSearchOutcome } from "./repair-search.js";
import { collectSpectrum, type Spectrum } from "../../testing/coverage/spectrum.js";
import { detectTestCommand, TestCommandError, type TestCommand } from "../../testing/test-command.js";
import { discoverNodeTestFiles } from "../../testing/node-test-files.js";
import type { RunInSandbox } from "../../testing/test-sandbox.js";
import type { ModelRepairAttempt } from "./model-repair.js";

/** Everything the debug procedure needs from the outside world; an agent builds it from its context. */
export interface DebugEnvironment {
  /** Journaled workspace reads (replay returns the recorded text). */
  workspace: { readFile(file: string): Promise<string>; listFiles(): Promise<string[]>; exists(file: string): Promise<boolean> };
  /** Journals a coarse side effect; replay returns its recorded output without running it. */
  effect<T>(tool: string, input: unknown, run: () => Promise<T>): Promise<T>;
  /** The sandbox itself, used only inside `effect` (the effect's output is what gets journaled). */
  runSandboxDirect: RunInSandbox;
  /** Retrieval of code from the context store, when one is configured. */
  searchContext?: (text: string) => Promise<unknown[]>;
  /** Model-proposed repairs, when a model is configured (see `createModelRepairer`). */
  modelRepair?: ModelRepairAttempt;
  signal: AbortSignal;
}

/** Default bound of the offline repair search. */
export const DEFAULT_MAX_CANDIDATES = 200;

/** Compact, journaled outcome of the offline search (the repaired file's content included). */
interface SearchRecord {
  tried: number;
  linesSearched: number;
  rejected: RepairSearchOutcome["rejected"];
  aborted: boolean;
  repair?: { mutation: Omit<Mutation, "start" | "end"> & { start: number; end: number }; content: string; candidateNumber: number };
}

/** What a successful debug run produced. */
export interface DebugOutcome {
  artifacts: Artifact[];
  /** The verified patch, absent when every test already passed. */
  patch?: PatchArtifact;
  /** How the patch was found. */
  method?: "model" | "mutation-search";
  candidatesTried: number;
}

/**
 * Spectrum-based fault localisation and verified repair:
 * 1. per-test V8 coverage (one journaled effect whose output is the compact spectrum),
 * 2. Ochiai ranking → `coverage_hint` and `analysis` artifacts with the code around the top lines,
 * 3. a model's patch when a model is configured (verified in the sandbox), else — or when the model's
 *    patches fail — a deterministic search over small mutations of the top lines (one journaled effect),
 * 4. a `patch` (unified diff against the workspace) and a `diff_summary`.
 * Throws {@link AgentFailure} `ExecutionError` when no candidate makes the tests pass, with the
 * localisation as partial artifacts.
 */
export async function runDebug(payload: DebugPayload, env: DebugEnvironment): Promise<DebugOutcome> {
  const workspace = payload.workspace;
  const files = await env.workspace.listFiles();
  const packageJson = files.includes("package.json") ? await env.workspace.readFile("package.json") : undefined;
  const testCommand = resolveTestCommand(packageJson, payload.testCommand, files);
  const testFiles = discoverNodeTestFiles(files, testCommand.testPaths);
  if (testFiles.length === 0) throw new AgentFailure("ValidationFailure", `debug: no node:test files found in ${workspace}`);
  const nodeFlags = testCommand.args.filter((a) => a.startsWith("-") && a !== "--test" && !a.startsWith("--test-reporter"));

  const readDirect = (file: string) => readFile(resolveInside(workspace, file), "utf8");
  const spectrum = await env.effect("debug.spectrum", { workspace, testFiles, nodeFlags }, () =>
    collectSpectrum({ workspace, testFiles, nodeFlags, readSource: readDirect, runInSandbox: env.runSandboxDirect, signal: env.signal }),
  );
  const failing = selectFailing(spectrum, payload.failingTests);
  if (failing.length === 0) {
    return {
      artifacts: [{ kind: "text", title: "debug: nothing to fix", content: `all ${spectrum.tests.length} tests pass when run one by one; no patch proposed` }],
      candidatesTried: 0,
    };
  }

  const ranked = rankByOchiai(spectrum);
  const snippets = await retrieveSnippets(ranked.slice(0, 5), env);
  const localisation: Artifact[] = [coverageHintArtifact(spectrum, ranked), ...suspiciousLineArtifacts(spectrum, ranked, snippets)];
  const failingRefs: FailingTestRef[] = failing.map((t) => ({ file: t.file, name: t.name, fullName: t.fullName }));
  const baselineTestCount = spectrum.tests.filter((t) => t.status !== "skipped").length;
  const verifierOptions = { workspace, testCommand, failingTests: failingRefs, baselineTestCount };

  let modelTried = 0;
  if (env.modelRepair !== undefined) {
    const attempt = await env.modelRepair({ workspace, failing, ranked: ranked.slice(0, 10), snippets: [...snippets.values()], verifierOptions });
    modelTried = attempt.tried;
    if (attempt.repair !== undefined) {
      return finish(localisation, attempt.repair.file, attempt.repair.original, attempt.repair.content, "model", modelTried, attempt.repair.explanation);
    }
  }

  const maxCandidates = payload.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const searchInput = { workspace, testCommand: [testCommand.command, ...testCommand.args], failing: failingRefs, ranked, maxCandidates };
  const record = await env.effect<SearchRecord>("debug.repair-search", searchInput, async () => {
    const verify = createRepairVerifier({ ...verifierOptions, runInSandbox: env.runSandboxDirect });
    const outcome = await searchRepair({ ranked, readSource: readDirect, verify, maxCandidates, signal: env.signal });
    const result: SearchRecord = { tried: outcome.tried, linesSearched: outcome.linesSearched, rejected: outcome.rejected, aborted: outcome.aborted === true };
    if (outcome.repair !== undefined) result.repair = { mutation: { ...outcome.repair.mutation }, content: outcome.repair.content, candidateNumber: outcome.repair.candidateNumber };
    return result;
  });
  if (record.aborted) throw new AgentFailure("Cancelled", `debug: repair search aborted after ${record.tried} candidates`, { partial: { artifacts: localisation } });
  if (record.repair === undefined) {
    const total = record.tried + modelTried;
    throw new AgentFailure("ExecutionError", `no candidate repair among ${total} made the tests pass`, {
      retryable: false,
      details: { candidatesTried: record.tried, modelCandidatesTried: modelTried, linesSearched: record.linesSearched, rejected: record.rejected },
      partial: { artifacts: localisation },
    });
  }
  const original = await env.workspace.readFile(record.repair.mutation.file);
  const explanation = `mutation ${record.repair.mutation.description}, candidate ${record.repair.candidateNumber} of the search`;
  return finish(localisation, record.repair.mutation.file, original, record.repair.content, "mutation-search", record.tried + modelTried, explanation);
}

function finish(
  localisation: Artifact[],
  file: string,
  original: string,
  repaired: string,
  method: "model" | "mutation-search",
  tried: number,
  explanation: string,
): DebugOutcome {
  const diff = createFileDiff(file, original, repaired);
  const stat = diffStat(diff);
  const patch: PatchArtifact = { kind: "patch", target: file, diff };
  return {
    artifacts: [
      ...localisation,
      patch,
      { kind: "diff_summary", target: file, summary: { files_changed: 1, insertions: stat.insertions, deletions: stat.deletions } },
      { kind: "text", title: "debug: verified repair", content: `${explanation}; every test passes with the patch (${method})` },
    ],
    patch,
    method,
    candidatesTried: tried,
  };
}

function resolveTestCommand(packageJson: string | undefined, override: readonly string[] | undefined, files: readonly string[]): TestCommand {
  let command: TestCommand;
  try {
    const input: Parameters<typeof detectTestCommand>[0] = { hasNodeTestFiles: discoverNodeTestFiles(files).length > 0 };
    if (packageJson !== undefined) input.packageJson = packageJson;
    if (override !== undefined) input.override = override;
    command = detectTestCommand(input);
  } catch (error) {
    if (error instanceof TestCommandError) throw new AgentFailure("ValidationFailure", `debug: ${error.message}`);
    throw error;
  }
  if (command.framework !== "node:test") {
    throw new AgentFailure("ExecutionError", `debug: per-test coverage needs a node:test suite; "${[command.command, ...command.args].join(" ")}" is ${command.framework}`);
  }
  return command;
}

/** Failing tests of the spectrum; when names are given, only those (matched on name or full name). */
function selectFailing(spectrum: Spectrum, names: readonly string[] | undefined) {
  const failing = spectrum.tests.filter((t) => t.status === "fail" || t.status === "error" || t.status === "timeout");
  if (names === undefined || names.length === 0) return failing;
  const wanted = new Set(names);
  const chosen = failing.filter((t) => wanted.has(t.name) || wanted.has(t.fullName));
  // Names from another reporter may not match this run's: then every failing test must pass, a superset
  // of what was asked (the full suite is verified for each candidate either way).
  return chosen.length > 0 ? chosen : failing;
}

/** Code around each suspicious line: from the context store when it holds the file, else the workspace. */
async function retrieveSnippets(lines: readonly SuspiciousLine[], env: DebugEnvironment): Promise<Map<string, CodeSnippet>> {
  const snippets = new Map<string, CodeSnippet>();
  const sources = new Map<string, string>();
  for (const entry of lines) {
    const fromStore = env.searchContext === undefined ? undefined : await snippetFromContext(entry, env.searchContext);
    if (fromStore !== undefined) {
      snippets.set(`${entry.file}:${entry.line}`, fromStore);
      continue;
    }
    let source = sources.get(entry.file);
    if (source === undefined) {
      source = await env.workspace.readFile(entry.file);
      sources.set(entry.file, source);
    }
    const excerpt = numberedExcerpt(source, entry.line);
    snippets.set(`${entry.file}:${entry.line}`, { file: entry.file, startLine: excerpt.startLine, text: excerpt.text, source: "workspace" });
  }
  return snippets;
}

/** A stored code chunk of `entry.file` that spans `entry.line`, as the context store returns it. */
async function snippetFromContext(entry: SuspiciousLine, search: (text: string) => Promise<unknown[]>): Promise<CodeSnippet | undefined> {
  const hits = await search(`${entry.file} line ${entry.line}`);
  for (const hit of hits) {
    const doc = (hit as { doc?: { path?: unknown; content?: unknown; startLine?: unknown; endLine?: unknown } }).doc;
    if (doc === undefined || doc.path !== entry.file || typeof doc.content !== "string") continue;
    const start = typeof doc.startLine === "number" ? doc.startLine : 1;
    const end = typeof doc.endLine === "number" ? doc.endLine : start + doc.content.split("\n").length - 1;
    if (entry.line < start || entry.line > end) continue;
    const excerpt = numberedExcerpt(doc.content, entry.line - start + 1);
    const renumbered = excerpt.text.replace(/^([> ])\s*(\d+)/gm, (_, mark: string, n: string) => `${mark}${String(Number(n) + start - 1).padStart(4)}`);
    return { file: entry.file, startLine: excerpt.startLine + start - 1, text: renumbered, source: "context-store" };
  }
  return undefined;
}

