/**
 * VLTAIR's agent SDK. This first slice is the sandbox's process runner, on which the test, analysis
 * and debug agents run real tools.
 *
 * @packageDocumentation
 */
export { runProcess, type ProcessResult, type RunProcessOptions } from "./run-process.js";
