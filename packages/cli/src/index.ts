/**
 * The `vltair` command-line interface (alias `orchestrator`), usable as a library too: `main(argv, io)`
 * runs one invocation and resolves to its exit code.
 *
 * @packageDocumentation
 */
export { CliError, usageError } from "./cli-error.js";
export { Output, type Io, type Progress } from "./output.js";
export { main, buildProgram, VERSION } from "./program.js";
export type { CommandContext, GlobalOptions } from "./context.js";
export { Project, loadConfig, saveConfig, DEFAULT_CONFIG, type ProjectConfig } from "./project.js";
export { timeline, formatTimeline, type TimelineEntry } from "./timeline.js";
export { summarizeRun, type RunSummary } from "./run-summary.js";
