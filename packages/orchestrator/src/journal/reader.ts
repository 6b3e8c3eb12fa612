/** Reading journals without modifying them: one run's events, the runs of a state directory. */
import type { RunEvent } from "@vltair/envelopes";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { JournalIoError, JournalNotFoundError } from "./errors.js";
import { JOURNAL_FILE_NAME, scanJournal } from "./format.js";
import { errorCode } from "./lock.js";

/**
 * Reads the journal of `runDir` without modifying it (a torn tail is reported, not cut off).
 *
 * @throws JournalNotFoundError when `runDir` has no journal
 * @throws JournalCorruptError when the journal is damaged anywhere but its last frame
 */
export async function readJournal(runDir: string): Promise<{ events: RunEvent[]; tornTail: boolean }> {
  const file = join(runDir, JOURNAL_FILE_NAME);
  const bytes = await readIfExists(file);
  if (bytes === undefined) throw new JournalNotFoundError(file);
  const { events, tornTail } = scanJournal<RunEvent>(bytes, file);
  return { events, tornTail };
}

/** The run ids (directory names under `<dir>/runs/`), sorted; empty when there is no `runs/` yet. */
export async function listRunDirs(dir: string): Promise<string[]> {
  const runs = join(dir, "runs");
  try {
    const entries = await readdir(runs, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if (errorCode(err) === "ENOENT") return [];
    throw new JournalIoError(runs, "listing runs", err);
  }
}

/** The file's bytes, or `undefined` when it does not exist. */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if (errorCode(err) === "ENOENT") return undefined;
    throw new JournalIoError(file, "reading", err);
  }
}
