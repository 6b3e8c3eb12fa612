/**
 * The durable run journal, laid out like the engine's WAL: `format` (header and checksummed frames),
 * `writer` (the append-only {@link Journal} with group commit and crash recovery), `reader` (reading
 * without modifying), `lock` (one writer per run directory) and `errors`.
 */
export {
  JournalClosedError,
  JournalCorruptError,
  JournalError,
  JournalIoError,
  JournalLockedError,
  JournalNotFoundError,
  JournalSequenceError,
  type JournalErrorCode,
} from "./errors.js";
export { JOURNAL_FILE_NAME, type JournalEvent } from "./format.js";
export { Journal, type Durability, type JournalOptions, type JournalRecovery, type JournalStats } from "./writer.js";
export { listRunDirs, readJournal } from "./reader.js";
