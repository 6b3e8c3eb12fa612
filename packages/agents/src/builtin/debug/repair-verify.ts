import { createPathResolver } from "../../testing/reporters/paths.js";
import type { ParsedTestCase } from "../../testing/reporters/types.js";
import { escapeRegExp } from "../../testing/coverage/spectrum.js";
import { parseTap } from "../../testing/reporters/tap-parser.js";
import type { TestCommand } from "../../testing/test-command.js";
import type { RunInSandbox } from "../../testing/test-sandbox.js";

/** Verdict on one candidate repair. */
export interface Verdict {
  passed: boolean;
  /** Which check decided: the previously failing tests alone, or the full suite. */
  stage: "failing-tests" | "full-suite";
  /** Why the candidate was rejected (absent when it passed). */
  reason?: string;
}

/** A test known to fail before the repair. */
export interface FailingTestRef {
  file: string;
  name: string;
  fullName: string;
}

/** Inputs of {@link createRepairVerifier}. */
export interface RepairVerifierOptions {
  workspace: string;
  /** The suite's command (node:test with the TAP reporter). */
  testCommand: TestCommand;
  failingTests: readonly FailingTestRef[];
  /** Tests the unmodified suite ran (a candidate must not make tests disappear). */
  baselineTestCount: number;
  runInSandbox: RunInSandbox;
  /** Wall limit of the quick check on the failing tests (a mutation can loop forever). */
  quickWallMs?: number;
  /** Wall limit of the full suite. */
  suiteWallMs?: number;
}

/**
 * Verifies a candidate (files overlaid on a sandbox copy) in two steps: the previously failing tests
 * alone, each file in-process with an anchored name pattern, must now pass — cheap, and it rejects
 * most candidates; then the FULL suite must pass with no test lost.
 */
export function createRepairVerifier(options: RepairVerifierOptions): (overlay: Record<string, string>) => Promise<Verdict> {
  const paths = createPathResolver([options.workspace]);
  const byFile = new Map<string, FailingTestRef[]>();
  for (const test of options.failingTests) byFile.set(test.file, [...(byFile.get(test.file) ?? []), test]);
  const quickRuns = [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  return async (overlay) => {
    for (const [file, tests] of quickRuns) {
      const names = [...new Set(tests.map((t) => t.name))].map(escapeRegExp);
      // A test file that failed to load is its own "test": run it whole.
      const loadFailure = tests.some((t) => t.name === file);
      const args = ["--test-reporter=tap", ...(loadFailure ? [] : [`--test-name-pattern=^(?:${names.join("|")})$`]), file];
      const result = await options.runInSandbox({ command: "node", args, workspace: options.workspace, overlay, wallMs: options.quickWallMs ?? 5_000 });
      if (result.limitHit !== null) return { passed: false, stage: "failing-tests", reason: `${file}: ${result.limitHit} limit hit` };
      const cases = parseTap(result.stdout, { paths });
      const stillFailing = loadFailure
        ? result.exitCode !== 0 || cases.length === 0
        : tests.some((t) => !cases.some((c) => c.fullName === t.fullName && c.status === "pass"));
      if (stillFailing) return { passed: false, stage: "failing-tests", reason: `${file}: previously failing tests still fail` };
    }
    const suite = await options.runInSandbox({
      command: options.testCommand.command,
      args: options.testCommand.args,
      workspace: options.workspace,
      overlay,
      wallMs: options.suiteWallMs ?? 60_000,
    });
    if (suite.limitHit !== null) return { passed: false, stage: "full-suite", reason: `${suite.limitHit} limit hit` };
    const cases: ParsedTestCase[] = parseTap(suite.stdout, { paths });
    const failed = cases.filter((c) => c.status !== "pass" && c.status !== "skipped");
    if (suite.exitCode !== 0 || failed.length > 0) {
      return { passed: false, stage: "full-suite", reason: `${failed.length} test(s) fail (exit code ${String(suite.exitCode)})` };
    }
    const ran = cases.filter((c) => c.status === "pass").length;
    if (ran < options.baselineTestCount) return { passed: false, stage: "full-suite", reason: `only ${ran} of ${options.baselineTestCount} tests ran` };
    return { passed: true, stage: "full-suite" };
  };
}
