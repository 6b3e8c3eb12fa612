/** Status of one test as the built-in agents report it (the `test_result` artifact's status). */
export type TestStatus = "pass" | "fail" | "error" | "skipped" | "timeout";

/** One test case parsed from a real reporter's output. */
export interface ParsedTestCase {
  /** The test's own name. */
  name: string;
  /** Suite path and name joined by " > " (equals `name` for top-level tests). */
  fullName: string;
  status: TestStatus;
  /** Failure message (assertion text, expected/actual), absent for passing tests. */
  message?: string;
  /** File of the test (workspace-relative when the reporter's path is inside the workspace). */
  file?: string;
  line?: number;
  durationMs?: number;
}

/** Which reporter output a test command produces, hence which parser reads it. */
export type ReporterFormat = "tap" | "jest-json" | "exit-code";
