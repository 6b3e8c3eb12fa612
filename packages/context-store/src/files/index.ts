/**
 * File helpers every layer above shares without loading the engine (`@vltair/context-store/files`):
 * the one directory walker and the one atomic, durable file writer.
 */
export { DEFAULT_SKIPPED_DIRECTORIES, walkFiles, type WalkFilesOptions } from "./walk-files.js";
export { writeFileAtomic } from "./atomic-file.js";
