import type { TestExecPayload } from "@vltair/envelopes";
import { parseJestJson, ReporterOutputError } from "../../testing/reporters/jest-json.js";
import { createPathResolver } from "../../testing/reporters/paths.js";
import type { ParsedTestCase } from "../../testing/reporters/types.js";
import { parseTap } from "../../testing/reporters/tap-parser.js";
import { detectTestCommand, type TestCommand } from "../../testing/test-command.js";
import { discoverNodeTestFiles } from "../../testing/node-test-files.js";
import type { RunInSandbox, TestSandboxResult } from "../../testing/test-sandbox.js";

/** What {@link runTestSuite} needs from the outside world. */
export interface TestSuiteEnvironment {
  /** Workspace file access (journaled inside an agent). */
  workspace: { readFile(file: string): Promise<string>; listFiles(): Promise<string[]> };
  /** Sandbox runs (journaled inside an agent). */
  runInSandbox: RunInSandbox;
}

/** One run of a project's test suite, parsed. */
export interface TestSuiteReport {
  command: TestCommand;
  /** Per-test results; for an `exit-code` command, one synthetic result for the whole run. */
  results: ParsedTestCase[];
  exitCode: number | null;
  limitHit: string | null;
  durationMs: number;
  /** Caveats, e.g. "no reporter: judged by exit code only". */
  notes: string[];
}

/** Default wall-clock limit of a suite run. */
export const DEFAULT_TEST_TIMEOUT_MS = 120_000;

/**
 * Detects the test command, runs it once in the sandbox (a copy of the workspace) and parses the
 * reporter's output. A run that produced no parsable tests but failed becomes one `error` result with
 * the output's tail, so a broken suite is never reported as green.
 */
export async function runTestSuite(payload: TestExecPayload, env: TestSuiteEnvironment): Promise<TestSuiteReport> {
  const files = await env.workspace.listFiles();
  const input: Parameters<typeof detectTestCommand>[0] = { hasNodeTestFiles: discoverNodeTestFiles(files).length > 0 };
  if (files.includes("package.json")) input.packageJson = await env.workspace.readFile("package.json");
  if (payload.command !== undefined) input.override = payload.command;
  const command = detectTestCommand(input);

  const run = await env.runInSandbox({
    command: command.command,
    args: command.args,
    workspace: payload.workspace,
    wallMs: payload.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    maxOutputBytes: 16 << 20,
  });
  const notes: string[] = [];
  const paths = createPathResolver([payload.workspace], files);
  let results: ParsedTestCase[];
  if (command.reporter === "tap") {
    results = parseTap(run.stdout, { paths });
  } else if (command.reporter === "jest-json") {
    try {
      results = parseJestJson(run.stdout, { paths });
    } catch (error) {
      if (!(error instanceof ReporterOutputError)) throw error;
      notes.push(`${command.framework} report unreadable: ${error.message}`);
      results = [];
    }
  } else {
    notes.push(`"${command.source}" has no reporter VLTAIR can parse: judged by exit code only`);
    results = [wholeRunResult(command, run)];
  }
  if (run.limitHit !== null) notes.push(`the run hit the sandbox's ${run.limitHit} limit`);
  const failedToReport = results.length === 0 || (run.exitCode !== 0 && results.every((r) => r.status === "pass" || r.status === "skipped"));
  if (failedToReport && (run.exitCode !== 0 || run.limitHit !== null)) results.push(wholeRunResult(command, run));
  return { command, results, exitCode: run.exitCode, limitHit: run.limitHit, durationMs: Math.round(run.durationMs), notes };
}

/** One result standing for the whole run (exit-code-only commands, or a run that reported nothing). */
function wholeRunResult(command: TestCommand, run: TestSandboxResult): ParsedTestCase {
  const name = [command.command, ...command.args].join(" ");
  const status = run.limitHit === "wall" ? "timeout" : run.exitCode === 0 && run.limitHit === null ? "pass" : "error";
  const result: ParsedTestCase = { name, fullName: name, status, durationMs: Math.round(run.durationMs) };
  if (status !== "pass") result.message = `exit code ${String(run.exitCode)}${run.limitHit === null ? "" : `, ${run.limitHit} limit hit`}\n${tail(run.stderr || run.stdout)}`;
  return result;
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
