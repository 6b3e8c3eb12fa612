/**
 * The durable, append-only journal of one run: every run event as a checksummed frame in
 * `<runDir>/journal.log` (format in `format.ts`), with a Vesper-like durability policy and group
 * commit. Reopening after a crash cuts off a torn last frame and continues after the committed prefix.
 */
import type { RunEvent } from "@vltair/envelopes";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { writeFileAtomic } from "@vltair/context-store/files";
import { join } from "node:path";
import {
  JournalClosedError,
  JournalError,
  JournalIoError,
  JournalSequenceError,
} from "./errors.js";
import {
  encodeFrames,
  encodeHeader,
  JOURNAL_FILE_NAME,
  MAX_FRAME_PAYLOAD,
  scanJournal,
} from "./format.js";
import { RunDirLock } from "./lock.js";
import { readIfExists } from "./reader.js";



/**
 * When {@link Journal.append} resolves:
 * - `none`: at once; the event is written shortly after (next turn of the event loop) and at close;
 * - `flush`: once `write()` handed it to the OS (survives a process crash, not a power loss);
 * - `commit`: once it is `fdatasync`'ed (survives a power loss).
 */
export type Durability = "none" | "flush" | "commit";

/** Options of {@link Journal.open}. */
export interface JournalOptions {
  /** Durability policy; default `commit`. */
  durability?: Durability;
  /**
   * Milliseconds to wait after the first pending append before writing, to gather more appends into one
   * write and one fsync. Default 0: write at once; appends arriving during a write or fsync still join
   * the next batch.
   */
  groupCommitMs?: number;
}

/** Counters of what the journal did, for tests and benchmarks. */
export interface JournalStats {
  /** Events accepted by {@link Journal.append}. */
  appends: number;
  /** `write()` batches issued. */
  writes: number;
  /** `fdatasync` calls issued. */
  fsyncs: number;
  /** Frame bytes written. */
  bytesWritten: number;
}

/** What {@link Journal.open} found in an existing journal. */
export interface JournalRecovery {
  /** Events already in the journal. */
  readonly events: number;
  /** Bytes of a torn last frame cut off; 0 when the journal ended cleanly. */
  readonly truncatedBytes: number;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

const DURABILITIES: readonly Durability[] = ["none", "flush", "commit"];
/** Pending bytes that start a write at once instead of waiting for the next turn (bounds memory at `none`). */
const EAGER_FLUSH_BYTES = 1024 * 1024;

/** The append-only event journal of one run directory. Open it with {@link Journal.open}. */
export class Journal {
  /** The run directory holding `journal.log`. */
  readonly runDir: string;
  /** Path of the journal file. */
  readonly file: string;
  /** The durability policy appends resolve by. */
  readonly durability: Durability;
  /** What opening found on disk. */
  readonly recovery: JournalRecovery;

  readonly #groupCommitMs: number;
  readonly #handle: FileHandle;
  readonly #lock: RunDirLock;
  readonly #stats: JournalStats = { appends: 0, writes: 0, fsyncs: 0, bytesWritten: 0 };
  #lastSeq: number;
  #size: number;
  /** Serialised events not yet written; framed together when their batch is written. */
  #pendingPayloads: string[] = [];
  /** UTF-8 bytes of the pending payloads (frame headers not included). */
  #pendingBytes = 0;
  #pendingWaiters: Waiter[] = [];
  #flushScheduled = false;
  #flushActive = false;
  #flushTimer: NodeJS.Timeout | undefined;
  #idle: Promise<void> = Promise.resolve();
  #unsynced = false;
  #failure: JournalError | undefined;
  #closing: Promise<void> | undefined;

  private constructor(init: {
    runDir: string;
    durability: Durability;
    groupCommitMs: number;
    handle: FileHandle;
    lock: RunDirLock;
    lastSeq: number;
    size: number;
    recovery: JournalRecovery;
  }) {
    this.runDir = init.runDir;
    this.file = join(init.runDir, JOURNAL_FILE_NAME);
    this.durability = init.durability;
    this.#groupCommitMs = init.groupCommitMs;
    this.#handle = init.handle;
    this.#lock = init.lock;
    this.#lastSeq = init.lastSeq;
    this.#size = init.size;
    this.recovery = init.recovery;
  }

  /**
   * Opens (creating if needed) the journal of `runDir`. An existing journal is read: a torn last frame
   * is cut off, and appends continue after the last committed event.
   *
   * @throws JournalLockedError when the run directory is open elsewhere (this or another live process)
   * @throws JournalCorruptError when the journal is damaged anywhere but its last frame
   */
  static async open(runDir: string, opts: JournalOptions = {}): Promise<Journal> {
    const durability = opts.durability ?? "commit";
    if (!DURABILITIES.includes(durability)) {
      throw new TypeError(`Journal.open: durability must be one of ${DURABILITIES.join(", ")}, got ${JSON.stringify(durability)}`);
    }
    const groupCommitMs = opts.groupCommitMs ?? 0;
    if (!Number.isFinite(groupCommitMs) || groupCommitMs < 0) {
      throw new RangeError(`Journal.open: groupCommitMs must be a finite number ≥ 0, got ${groupCommitMs}`);
    }
    await mkdir(runDir, { recursive: true }).catch((err: unknown) => {
      throw new JournalIoError(runDir, "creating the run directory", err);
    });
    const lock = await RunDirLock.acquire(runDir);
    try {
      const file = join(runDir, JOURNAL_FILE_NAME);
      const existing = await readIfExists(file);
      let lastSeq = -1;
      let size: number;
      let truncatedBytes = 0;
      if (existing === undefined) {
        await createJournalFile(file);
        size = encodeHeader().length;
      } else {
        const scan = scanJournal(existing, file);
        lastSeq = scan.events.length - 1;
        size = scan.validEnd;
        truncatedBytes = existing.length - scan.validEnd;
      }
      const handle = await open(file, "r+").catch((err: unknown) => {
        throw new JournalIoError(file, "opening", err);
      });
      if (truncatedBytes > 0) {
        try {
          await handle.truncate(size);
          await handle.sync();
        } catch (err) {
          await handle.close();
          throw new JournalIoError(file, "cutting off the torn tail", err);
        }
      }
      return new Journal({
        runDir,
        durability,
        groupCommitMs,
        handle,
        lock,
        lastSeq,
        size,
        recovery: { events: lastSeq + 1, truncatedBytes },
      });
    } catch (err) {
      await lock.release().catch(() => undefined);
      throw err;
    }
  }

  /** Sequence number of the last appended event; -1 while the journal is empty. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** A snapshot of the journal's counters. */
  get stats(): JournalStats {
    return { ...this.#stats };
  }

  /**
   * Appends one event. `event.seq` must be `lastSeq + 1`; {@link Journal.lastSeq} advances at once, and
   * the promise resolves when the event is durable per {@link Journal.durability}.
   *
   * @throws JournalSequenceError (as a rejection) for a wrong seq; the journal stays usable
   * @throws JournalClosedError (as a rejection) after close or after a failed write
   */
  append(event: RunEvent): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new JournalClosedError(this.runDir, "it was closed"));
    if (this.#failure !== undefined) {
      return Promise.reject(new JournalClosedError(this.runDir, `an earlier write failed (${this.#failure.message})`, this.#failure));
    }
    const seq: unknown = (event as { seq?: unknown } | null)?.seq;
    if (seq !== this.#lastSeq + 1) return Promise.reject(new JournalSequenceError(this.runDir, this.#lastSeq + 1, seq));
    // Serialised now, so the journal holds the event as it is at this call whatever happens to it later.
    let payload: string | undefined;
    try {
      payload = JSON.stringify(event);
    } catch (err) {
      return Promise.reject(new TypeError(`journal ${this.runDir}: event seq ${seq} cannot be serialised as JSON: ${(err as Error).message}`));
    }
    if (typeof payload !== "string") return Promise.reject(new TypeError(`journal ${this.runDir}: event seq ${seq} cannot be serialised as JSON`));
    const bytes = Buffer.byteLength(payload, "utf8");
    if (bytes > MAX_FRAME_PAYLOAD) {
      return Promise.reject(
        new JournalError("JOURNAL_EVENT_TOO_LARGE", `journal ${this.runDir}: event seq ${seq} is ${bytes} bytes; the limit is ${MAX_FRAME_PAYLOAD}`),
      );
    }
    this.#pendingPayloads.push(payload);
    this.#pendingBytes += bytes;
    this.#lastSeq = seq;
    this.#stats.appends++;
    const done =
      this.durability === "none"
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => this.#pendingWaiters.push({ resolve, reject }));
    if (this.#pendingBytes >= EAGER_FLUSH_BYTES && !this.#flushActive && this.#flushTimer === undefined) this.#startFlushLoop();
    else this.#scheduleFlush();
    return done;
  }

  /**
   * Writes and syncs everything pending, then closes the file and releases the run directory.
   * Idempotent. Rejects if a write failed (also a lazy one at durability `none`).
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#flushScheduled = false;
    this.#startFlushLoop();
    await this.#idle;
    try {
      if (this.#failure === undefined && this.#unsynced) {
        await this.#handle.datasync().catch((err: unknown) => {
          throw new JournalIoError(this.file, "fdatasync at close", err);
        });
        this.#stats.fsyncs++;
        this.#unsynced = false;
      }
    } finally {
      await this.#handle.close().catch(() => undefined);
      await this.#lock.release();
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  #scheduleFlush(): void {
    if (this.#flushActive || this.#flushScheduled) return; // the running loop picks the frame up
    this.#flushScheduled = true;
    const start = (): void => {
      this.#flushScheduled = false;
      this.#flushTimer = undefined;
      this.#startFlushLoop();
    };
    if (this.#groupCommitMs > 0) this.#flushTimer = setTimeout(start, this.#groupCommitMs);
    else if (this.durability === "none") setImmediate(start); // lets a burst of appends share one write
    else queueMicrotask(start); // appends made in the same synchronous burst share the first batch
  }

  #startFlushLoop(): void {
    if (this.#flushActive) return;
    this.#flushActive = true;
    this.#idle = this.#flushLoop();
  }

  // Each turn takes everything pending as one batch: one write, and at `commit` one fdatasync. Appends
  // that arrive meanwhile wait for the next turn — that is the group commit.
  async #flushLoop(): Promise<void> {
    try {
      while (this.#pendingPayloads.length > 0 && this.#failure === undefined) {
        const payloads = this.#pendingPayloads;
        const payloadBytes = this.#pendingBytes;
        const waiters = this.#pendingWaiters;
        this.#pendingPayloads = [];
        this.#pendingWaiters = [];
        this.#pendingBytes = 0;
        try {
          await this.#write(encodeFrames(payloads, payloadBytes));
          if (this.durability === "commit") await this.#sync();
        } catch (err) {
          this.#failure = err instanceof JournalError ? err : new JournalIoError(this.file, "appending", err);
          for (const w of [...waiters, ...this.#pendingWaiters]) w.reject(this.#failure);
          this.#pendingWaiters = [];
          this.#pendingPayloads = [];
          this.#pendingBytes = 0;
          return;
        }
        for (const w of waiters) w.resolve();
      }
    } finally {
      this.#flushActive = false; // synchronously after the last check: no append can slip between
    }
  }

  async #write(bytes: Buffer): Promise<void> {
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesWritten } = await this.#handle.write(bytes, done, bytes.length - done, this.#size + done);
        done += bytesWritten;
      }
    } catch (err) {
      throw new JournalIoError(this.file, `write at offset ${this.#size + done}`, err);
    }
    this.#size += bytes.length;
    this.#unsynced = true;
    this.#stats.writes++;
    this.#stats.bytesWritten += bytes.length;
  }

  async #sync(): Promise<void> {
    try {
      await this.#handle.datasync();
    } catch (err) {
      throw new JournalIoError(this.file, "fdatasync", err);
    }
    this.#unsynced = false;
    this.#stats.fsyncs++;
  }
}

// The header is written atomically (temporary file, fsync, rename, directory fsync), so a journal file
// either does not exist or has a complete header: a short header is always corruption, never a crash
// artefact.
async function createJournalFile(file: string): Promise<void> {
  try {
    await writeFileAtomic(file, encodeHeader());
  } catch (err) {
    throw new JournalIoError(file, "creating", err);
  }
}
