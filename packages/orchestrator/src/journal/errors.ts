/** Stable codes carried by every journal error, so callers can branch without parsing messages. */
export type JournalErrorCode =
  | "JOURNAL_CORRUPT"
  | "JOURNAL_SEQUENCE"
  | "JOURNAL_LOCKED"
  | "JOURNAL_CLOSED"
  | "JOURNAL_NOT_FOUND"
  | "JOURNAL_IO"
  | "JOURNAL_EVENT_TOO_LARGE";

/** Base class of every error the run journal throws. */
export class JournalError extends Error {
  /** Stable machine-readable code. */
  readonly code: JournalErrorCode;

  constructor(code: JournalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The journal holds a damaged frame that is not a torn tail: valid frames follow it, or a CRC-valid
 * frame holds something that is not the next event. Committed events would be lost by dropping it, so
 * the journal refuses to open rather than guess.
 */
export class JournalCorruptError extends JournalError {
  /** Byte offset of the damaged frame (or header) in {@link JournalCorruptError.file}. */
  readonly offset: number;
  /** Path of the damaged journal file. */
  readonly file: string;

  constructor(file: string, offset: number, what: string) {
    super("JOURNAL_CORRUPT", `journal ${file} is corrupt at byte offset ${offset}: ${what}`);
    this.file = file;
    this.offset = offset;
  }
}

/** An appended event does not carry the next sequence number. */
export class JournalSequenceError extends JournalError {
  /** The sequence number the journal expected (`lastSeq + 1`). */
  readonly expected: number;
  /** The sequence number the event carried. */
  readonly actual: unknown;

  constructor(runDir: string, expected: number, actual: unknown) {
    super(
      "JOURNAL_SEQUENCE",
      `journal ${runDir}: event seq must be ${expected} (lastSeq + 1), got ${JSON.stringify(actual) ?? String(actual)}`,
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/** The run directory's journal is already open, in this process or in another live one. */
export class JournalLockedError extends JournalError {
  /** Pid of the holder, when known. */
  readonly holderPid: number | undefined;

  constructor(runDir: string, holderPid: number | undefined, where: "this process" | "another process") {
    super(
      "JOURNAL_LOCKED",
      `journal in ${runDir} is already open in ${where}` +
        (holderPid === undefined ? "" : ` (pid ${holderPid})`) +
        "; one writer per run directory",
    );
    this.holderPid = holderPid;
  }
}

/** The journal was closed, or failed earlier and refuses further appends. */
export class JournalClosedError extends JournalError {
  constructor(runDir: string, reason: string, cause?: unknown) {
    super("JOURNAL_CLOSED", `journal ${runDir} is not writable: ${reason}`, { cause });
  }
}

/** There is no journal file in the given run directory. */
export class JournalNotFoundError extends JournalError {
  /** The journal file that does not exist. */
  readonly file: string;

  constructor(file: string) {
    super("JOURNAL_NOT_FOUND", `no journal at ${file}`);
    this.file = file;
  }
}

/** A file-system call on the journal failed (disk full, permissions, …). */
export class JournalIoError extends JournalError {
  constructor(file: string, operation: string, cause: unknown) {
    super("JOURNAL_IO", `journal ${file}: ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
