import type { TestGenPayload } from "@vltair/envelopes";

/**
 * A test runner: `node:test`, vitest or jest (run and parsed by TestExec) — or `script`, any other test
 * command, judged by its exit code.
 */
export type TestFramework = "node:test" | "vitest" | "jest" | "script";

/** The frameworks TestGen writes tests for: a TestGen payload's `framework`. */
export type GeneratedTestFramework = Extract<TestFramework, NonNullable<TestGenPayload["framework"]>>;
