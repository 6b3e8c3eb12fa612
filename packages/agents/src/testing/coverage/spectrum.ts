import type { FileCoverage } from "../../sandbox/v8-coverage.js";
import { coveredLines, executableLines } from "./coverage-lines.js";
import type { ParsedTestCase, TestStatus } from "../reporters/types.js";
import { createPathResolver } from "../reporters/paths.js";
import { parseTap } from "../reporters/tap-parser.js";
import { SPECTRUM_HOOK_MARKER, SPECTRUM_HOOK_PATH, SPECTRUM_HOOK_SOURCE } from "./spectrum-hook.js";
import type { RunInSandbox } from "../test-sandbox.js";

/** One test of a program spectrum and how it ended when run alone. */
export interface SpectrumTest {
  file: string;
  name: string;
  fullName: string;
  status: TestStatus;
  message?: string;
}

/**
 * Which test executed which source line: the input of spectrum-based fault localisation. Compact
 * enough to journal (no raw V8 data).
 */
export interface Spectrum {
  tests: SpectrumTest[];
  /** Source file → line (as a string key) → indices into `tests` of the tests that executed it. */
  coverage: Record<string, Record<string, number[]>>;
  /** Source file → lines holding code, for line rates. */
  executableLineCount: Record<string, number>;
  /** Sandbox runs it took. */
  runs: number;
  /** Test files whose tests were attributed in one process (the rest ran one process per test). */
  inProcessFiles: string[];
}

/** Inputs of {@link collectSpectrum}. */
export interface CollectSpectrumOptions {
  workspace: string;
  /** Workspace-relative node:test files (see `discoverNodeTestFiles`). */
  testFiles: readonly string[];
  /** Extra node flags from the project's test script (e.g. `--import=…`). */
  nodeFlags?: readonly string[];
  /** Reads a workspace file's text (offsets of V8 ranges need the source). */
  readSource: (path: string) => Promise<string>;
  runInSandbox: RunInSandbox;
  /** Wall-clock limit of each run (default 30 000 ms). */
  wallMs?: number;
  signal?: AbortSignal;
}

/** Thrown when the spectrum cannot be collected (aborted, or no test could be run). */
export class SpectrumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpectrumError";
  }
}

/**
 * Runs every test alone with V8 coverage — each test file under node:test's runner in-process with the
 * TAP reporter, one run per test selected with an anchored `--test-name-pattern` (one run for a file
 * holding a single test) — and records the source lines (test files and node_modules excluded) each
 * test executed.
 */
export async function collectSpectrum(options: CollectSpectrumOptions): Promise<Spectrum> {
  const testFileSet = new Set(options.testFiles);
  const tests: SpectrumTest[] = [];
  const coverage: Record<string, Record<string, number[]>> = {};
  const executableLineCount: Record<string, number> = {};
  const sources = new Map<string, string>();
  let runs = 0;

  const run = async (file: string, mode: { pattern?: string; hook?: boolean }) => {
    if (options.signal?.aborted === true) throw new SpectrumError("spectrum collection aborted");
    const args = [...(mode.hook === true ? [`--import=./${SPECTRUM_HOOK_PATH}`] : []), "--test-reporter=tap", ...(options.nodeFlags ?? [])];
    if (mode.pattern !== undefined) args.push(`--test-name-pattern=${mode.pattern}`);
    args.push(file);
    runs++;
    const result = await options.runInSandbox({
      command: "node",
      args,
      workspace: options.workspace,
      wallMs: options.wallMs ?? 30_000,
      maxOutputBytes: 32 << 20,
      ...(mode.hook === true ? { overlay: { [SPECTRUM_HOOK_PATH]: SPECTRUM_HOOK_SOURCE } } : { coverage: true }),
    });
    const cases = parseTap(result.stdout, { paths: createPathResolver([options.workspace], options.testFiles) });
    return { result, cases };
  };

  const record = async (testIndex: number, files: readonly FileCoverage[] | undefined) => {
    const byPath = new Map<string, FileCoverage[]>();
    for (const entry of files ?? []) {
      if (testFileSet.has(entry.path) || !/\.(c|m)?[jt]sx?$/.test(entry.path)) continue;
      byPath.set(entry.path, [...(byPath.get(entry.path) ?? []), entry]);
    }
    for (const [path, entries] of [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      let source = sources.get(path);
      if (source === undefined) {
        source = await options.readSource(path);
        sources.set(path, source);
        executableLineCount[path] = executableLines(source).size;
      }
      const lines = (coverage[path] ??= {});
      for (const line of coveredLines(source, entries)) (lines[String(line)] ??= []).push(testIndex);
    }
  };

  const inProcessFiles: string[] = [];
  for (const file of [...options.testFiles].sort()) {
    const whole = await run(file, { hook: true });
    const leaves = whole.cases.filter((c) => c.status !== "skipped");
    if (leaves.length === 0) {
      // Nothing ran: the file failed to load or holds no tests. A load failure is a failing "test".
      if (whole.result.exitCode !== 0) {
        const alone = await run(file, {});
        tests.push({ file, name: file, fullName: file, status: "error", message: firstLine(whole.result.stderr) ?? "test file failed to load" });
        await record(tests.length - 1, alone.result.coverage);
      }
      continue;
    }
    const attributed = attributeHookCoverage(whole.result.stderr, leaves);
    if (attributed !== undefined) {
      inProcessFiles.push(file);
      for (const [index, leaf] of leaves.entries()) {
        tests.push(toSpectrumTest(file, leaf));
        await record(tests.length - 1, [...attributed.load, ...(attributed.perTest[index] ?? [])]);
      }
      continue;
    }
    // The hook's reports do not line up with the reporter's tests (e.g. concurrent tests): one process per test.
    for (const leaf of leaves) {
      const alone = await run(file, { pattern: `^${escapeRegExp(leaf.name)}$` });
      const same = alone.cases.filter((c) => c.fullName === leaf.fullName && c.status !== "skipped");
      const entry = toSpectrumTest(file, leaf);
      entry.status = same.length === 0 ? "error" : (same.find((c) => c.status !== "pass")?.status ?? "pass");
      const failed = same.find((c) => c.status !== "pass");
      if (failed?.message !== undefined) entry.message = failed.message;
      else delete entry.message;
      tests.push(entry);
      await record(tests.length - 1, alone.result.coverage);
    }
  }
  if (tests.length === 0) throw new SpectrumError(`no test ran in ${options.testFiles.length} test file(s)`);
  return { tests, coverage, executableLineCount, runs, inProcessFiles };
}

/**
 * Splits the hook's stderr reports into load-time coverage and one coverage per leaf test, matching
 * reports to the reporter's tests by name in execution order; `undefined` when they do not line up.
 */
export function attributeHookCoverage(
  stderr: string,
  leaves: readonly ParsedTestCase[],
): { load: FileCoverage[]; perTest: FileCoverage[][] } | undefined {
  const load: FileCoverage[] = [];
  const reports: { name: string; files: FileCoverage[] }[] = [];
  for (const line of stderr.split("\n")) {
    if (!line.startsWith(SPECTRUM_HOOK_MARKER)) continue;
    let event: { event?: unknown; name?: unknown; files?: unknown };
    try {
      event = JSON.parse(line.slice(SPECTRUM_HOOK_MARKER.length)) as typeof event;
    } catch {
      return undefined; // a truncated report: do not guess
    }
    const files = Array.isArray(event.files) ? (event.files as FileCoverage[]) : [];
    if (event.event === "load") load.push(...files);
    else if (event.event === "test" && typeof event.name === "string") reports.push({ name: event.name, files });
  }
  const perTest: FileCoverage[][] = [];
  let next = 0;
  for (const leaf of leaves) {
    while (next < reports.length && reports[next]?.name !== leaf.name) next++;
    const report = reports[next];
    if (report === undefined) return undefined;
    perTest.push(report.files);
    next++;
  }
  return { load, perTest };
}

function toSpectrumTest(file: string, testCase: ParsedTestCase): SpectrumTest {
  const entry: SpectrumTest = { file, name: testCase.name, fullName: testCase.fullName, status: testCase.status };
  if (testCase.message !== undefined) entry.message = testCase.message;
  return entry;
}

/** Escapes `text` for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function firstLine(text: string): string | undefined {
  return text.split("\n").find((line) => line.trim() !== "")?.trim();
}
