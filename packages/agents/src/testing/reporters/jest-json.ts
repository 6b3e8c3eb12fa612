import { stripVTControlCharacters } from "node:util";
import type { ParsedTestCase, TestStatus } from "./types.js";
import { createPathResolver, type PathResolver } from "./paths.js";

/** Thrown when a JSON reporter's output is missing or not the Jest-compatible shape. */
export class ReporterOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReporterOutputError";
  }
}

interface AssertionResult {
  title?: unknown;
  fullName?: unknown;
  ancestorTitles?: unknown;
  status?: unknown;
  duration?: unknown;
  failureMessages?: unknown;
  location?: unknown;
}

/**
 * Parses the Jest-compatible JSON report that `jest --json` and `vitest run --reporter=json` print:
 * `{ testResults: [{ name: file, assertionResults: [{ title, ancestorTitles, status, duration,
 * failureMessages, location? }] }] }`. Files that failed before running any test (a syntax error, a
 * missing import) are reported as one `error` case named after the file.
 */
export function parseJestJson(stdout: string, options: { paths?: PathResolver } = {}): ParsedTestCase[] {
  const paths = options.paths ?? createPathResolver([]);
  const report = extractJson(stdout);
  const files = (report as { testResults?: unknown }).testResults;
  if (!Array.isArray(files)) throw new ReporterOutputError("JSON reporter output has no \"testResults\" array");
  const results: ParsedTestCase[] = [];
  for (const fileResult of files as Record<string, unknown>[]) {
    const reportedFile = typeof fileResult.name === "string" ? fileResult.name : undefined;
    const file = reportedFile === undefined ? undefined : (paths.toWorkspacePath(reportedFile) ?? reportedFile);
    const assertions = Array.isArray(fileResult.assertionResults) ? (fileResult.assertionResults as AssertionResult[]) : [];
    if (assertions.length === 0 && fileResult.status === "failed") {
      const failed: ParsedTestCase = { name: file ?? "test file", fullName: file ?? "test file", status: "error" };
      if (file !== undefined) failed.file = file;
      const message = typeof fileResult.message === "string" ? fileResult.message : "test file failed to run";
      failed.message = stripVTControlCharacters(message).trim();
      results.push(failed);
      continue;
    }
    for (const assertion of assertions) results.push(toCase(assertion, file));
  }
  return results;
}

function toCase(assertion: AssertionResult, file: string | undefined): ParsedTestCase {
  const name = typeof assertion.title === "string" ? assertion.title : (typeof assertion.fullName === "string" ? assertion.fullName : "unnamed test");
  const ancestors = Array.isArray(assertion.ancestorTitles) ? assertion.ancestorTitles.filter((t): t is string => typeof t === "string") : [];
  const testCase: ParsedTestCase = { name, fullName: [...ancestors, name].join(" > "), status: statusOf(assertion.status) };
  if (file !== undefined) testCase.file = file;
  const location = assertion.location as { line?: unknown } | undefined;
  if (location !== undefined && typeof location.line === "number") testCase.line = location.line;
  if (typeof assertion.duration === "number") testCase.durationMs = Math.round(assertion.duration * 1000) / 1000;
  if (testCase.status !== "pass" && testCase.status !== "skipped" && Array.isArray(assertion.failureMessages)) {
    const message = assertion.failureMessages.filter((m): m is string => typeof m === "string").map((m) => stripVTControlCharacters(m)).join("\n").trim();
    if (message !== "") testCase.message = message;
  }
  return testCase;
}

function statusOf(status: unknown): TestStatus {
  switch (status) {
    case "passed":
      return "pass";
    case "failed":
      return "fail";
    case "pending":
    case "skipped":
    case "todo":
    case "disabled":
      return "skipped";
    default:
      return "error";
  }
}

/** The report object: the whole stdout, or the last line that parses as a JSON object. */
function extractJson(stdout: string): object {
  const trimmed = stdout.trim();
  if (trimmed === "") throw new ReporterOutputError("JSON reporter printed nothing on stdout");
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (typeof whole === "object" && whole !== null) return whole;
  } catch {
    // other output around the report: look for it line by line
  }
  const lines = trimmed.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (!line.startsWith("{")) continue;
    try {
      const parsed: unknown = JSON.parse(lines.slice(i).join("\n"));
      if (typeof parsed === "object" && parsed !== null) return parsed;
    } catch {
      // not the start of the report
    }
  }
  throw new ReporterOutputError(`JSON reporter output is not JSON: ${JSON.stringify(trimmed.slice(0, 120))}`);
}
