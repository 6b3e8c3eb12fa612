import type { SandboxSpec } from "../sandbox/sandbox-spec.js";
import type { FileCoverage } from "../sandbox/v8-coverage.js";

/** The part of a sandbox run's outcome the test and debug agents read. */
export interface TestSandboxResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Which limit ended or trimmed the run (`"wall"`, `"cpu"`, `"output"`, …), or `null`. */
  limitHit: string | null;
  durationMs: number;
  /** V8 coverage of workspace files (paths relative) when the spec asked for it. */
  coverage?: FileCoverage[];
}

/**
 * How the test and debug logic runs a command in the sandbox: `ctx.sandbox.run` inside an agent
 * (journaled), or `runSandboxed` directly inside one coarse effect.
 */
export type RunInSandbox = (spec: SandboxSpec) => Promise<TestSandboxResult>;
