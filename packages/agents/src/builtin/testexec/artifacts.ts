import type { Artifact, TestResultArtifact, TextArtifact } from "@vltair/envelopes";
import type { TestSuiteReport } from "./test-suite.js";

/** Failed tests named in a failure message before it is cut short. */
const NAMED_FAILURES = 5;

/** One `test_result` artifact per test, in the reporter's order. */
export function testResultArtifacts(report: TestSuiteReport): TestResultArtifact[] {
  return report.results.map((r) => {
    const artifact: TestResultArtifact = { kind: "test_result", test_name: r.fullName, status: r.status };
    if (r.message !== undefined) artifact.log = r.message;
    if (r.file !== undefined) artifact.file = r.file;
    if (r.line !== undefined) artifact.line = r.line;
    if (r.durationMs !== undefined) artifact.durationMs = r.durationMs;
    return artifact;
  });
}

/** Counts per status. */
export function statusCounts(report: TestSuiteReport): Record<"pass" | "fail" | "error" | "skipped" | "timeout", number> {
  const counts = { pass: 0, fail: 0, error: 0, skipped: 0, timeout: 0 };
  for (const r of report.results) counts[r.status]++;
  return counts;
}

/** The failing results (fail, error, timeout). */
export function failures(report: TestSuiteReport) {
  return report.results.filter((r) => r.status === "fail" || r.status === "error" || r.status === "timeout");
}

/** "2 of 18 tests failed: a (test/x.test.js:4), b" — the TestFailure message. */
export function failureMessage(report: TestSuiteReport): string {
  const failed = failures(report);
  const counted = report.results.filter((r) => r.status !== "skipped").length;
  const named = failed.slice(0, NAMED_FAILURES).map((r) => (r.file === undefined ? r.fullName : `${r.fullName} (${r.file}${r.line === undefined ? "" : `:${r.line}`})`));
  const more = failed.length > NAMED_FAILURES ? `, and ${failed.length - NAMED_FAILURES} more` : "";
  return `${failed.length} of ${counted} tests failed: ${named.join(", ")}${more}`;
}

/** The `text` summary: command, counts, exit code, notes. */
export function summaryArtifact(report: TestSuiteReport): TextArtifact {
  const c = statusCounts(report);
  const lines = [
    `command: ${[report.command.command, ...report.command.args].join(" ")} (${report.command.framework}, from ${report.command.source})`,
    `tests: ${report.results.length} — ${c.pass} passed, ${c.fail} failed, ${c.error} errors, ${c.timeout} timed out, ${c.skipped} skipped`,
    // The run time stays out of the text (it is in `metrics.timeMs`): the same suite gives the same artifact.
    `exit code: ${String(report.exitCode)}`,
    ...report.notes.map((n) => `note: ${n}`),
  ];
  return { kind: "text", title: "test run summary", content: lines.join("\n") };
}

/** All artifacts of a run: the per-test results, then the summary. */
export function testExecArtifacts(report: TestSuiteReport): Artifact[] {
  return [...testResultArtifacts(report), summaryArtifact(report)];
}
