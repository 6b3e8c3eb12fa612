/**
 * The `vltair` command-line interface (alias `orchestrator`), usable as a library too.
 *
 * @packageDocumentation
 */
export { CliError, main, type Io } from "./main.js";
export { runDemo, type DemoOptions, type DemoReport } from "./demo.js";
export { chunkFile, type Chunk } from "./chunk.js";
