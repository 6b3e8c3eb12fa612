/**
 * One writer per run directory: an in-process registry (two `Journal`s in one process would interleave
 * frames) plus a lock file holding the owner's pid for other processes. Node has no `flock`, so a lock
 * left behind by a crash is recognised by its pid no longer being alive, and taken over.
 */
import { randomBytes } from "node:crypto";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { JournalIoError, JournalLockedError } from "./errors.js";

/** File name of the lock inside a run directory. */
export const JOURNAL_LOCK_FILE_NAME = "journal.lock";

const heldInThisProcess = new Set<string>();

/** An exclusive claim on a run directory's journal; release it exactly once. */
export class RunDirLock {
  readonly #key: string;
  readonly #lockPath: string;
  #released = false;

  private constructor(key: string, lockPath: string) {
    this.#key = key;
    this.#lockPath = lockPath;
  }

  /**
   * Claims `runDir`, which must exist.
   *
   * @throws JournalLockedError when this process or another live one holds it
   */
  static async acquire(runDir: string): Promise<RunDirLock> {
    const key = resolve(runDir);
    // Claimed synchronously, before any await, so two concurrent opens in one process cannot both win.
    if (heldInThisProcess.has(key)) throw new JournalLockedError(runDir, process.pid, "this process");
    heldInThisProcess.add(key);
    const lockPath = join(key, JOURNAL_LOCK_FILE_NAME);
    try {
      await createLockFile(runDir, lockPath);
    } catch (err) {
      heldInThisProcess.delete(key);
      throw err;
    }
    return new RunDirLock(key, lockPath);
  }

  /** Removes the lock file and the in-process claim. Idempotent. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    try {
      await unlink(this.#lockPath);
    } catch (err) {
      if (errorCode(err) !== "ENOENT") throw new JournalIoError(this.#lockPath, "removing the lock", err);
    } finally {
      heldInThisProcess.delete(this.#key);
    }
  }
}

// The pid goes into a temporary file first and is then hard-linked into place: link() creates the lock
// atomically *with* its content, so a reader never sees an empty lock of a writer that is mid-creation.
async function createLockFile(runDir: string, lockPath: string): Promise<void> {
  const temp = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, `${process.pid}\n`);
  } catch (err) {
    throw new JournalIoError(temp, "writing the lock", err);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temp, lockPath);
        return;
      } catch (err) {
        if (errorCode(err) !== "EEXIST") throw new JournalIoError(lockPath, "creating the lock", err);
      }
      const holder = await readHolderPid(lockPath);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new JournalLockedError(runDir, holder, "another process");
      }
      // Stale: its pid is dead, unreadable, or ours without an in-process claim (a leak of a failed open).
      try {
        await unlink(lockPath);
      } catch (err) {
        if (errorCode(err) !== "ENOENT") throw new JournalIoError(lockPath, "removing a stale lock", err);
      }
    }
    throw new JournalLockedError(runDir, await readHolderPid(lockPath), "another process");
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readHolderPid(lockPath: string): Promise<number | undefined> {
  try {
    const text = (await readFile(lockPath, "utf8")).trim();
    const pid = Number(text);
    return /^\d+$/.test(text) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === "EPERM"; // exists, owned by another user
  }
}

/** The `code` of a Node system error, if any. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof err.code === "string" ? err.code : undefined;
}
