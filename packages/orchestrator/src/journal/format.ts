/**
 * On-disk format of a run journal (`<runDir>/journal.log`):
 *
 * ```
 * header  = "VLTJ" (4 bytes) | u32 LE format version (1)
 * frame   = u32 LE payload length | u32 LE crc32(payload) | payload (UTF-8 JSON of one run event)
 * ```
 *
 * Frames are only ever appended. A crash can leave a torn last frame, which recovery cuts off; a damaged
 * frame with valid frames after it is corruption and is reported, never skipped.
 */
import { crc32 } from "node:zlib";
import { JournalCorruptError } from "./errors.js";

/** File name of the journal inside a run directory. */
export const JOURNAL_FILE_NAME = "journal.log";
/** Version written in the header; readers refuse others. */
export const JOURNAL_FORMAT_VERSION = 1;
/** Bytes of the file header. */
export const JOURNAL_HEADER_SIZE = 8;
/** Bytes before each payload: length and CRC. */
export const FRAME_OVERHEAD = 8;
/**
 * Largest payload a frame may hold. Kept below 0x20202020 on purpose: JSON payloads never contain bytes
 * below 0x20, so four payload bytes read as a length are always implausible, and scanning for "valid
 * frames after a bad one" cannot be fooled by the text of a torn frame.
 */
export const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;
/** Smallest JSON object payload: `{}`. */
const MIN_FRAME_PAYLOAD = 2;

const MAGIC = Buffer.from("VLTJ", "ascii");

/** Minimal shape every journaled event has; the orchestrator's `RunEvent` union satisfies it. */
export interface JournalEvent {
  readonly type: string;
  readonly runId: string;
  readonly seq: number;
  readonly time: number;
}

/** The file header of a new journal. */
export function encodeHeader(): Buffer {
  const header = Buffer.alloc(JOURNAL_HEADER_SIZE);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(JOURNAL_FORMAT_VERSION, 4);
  return header;
}

/** One frame around an already serialised payload. */
export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, FRAME_OVERHEAD);
  return frame;
}

/**
 * Frames for a batch of serialised payloads in one buffer, in order: each JSON text is encoded straight
 * into its place (no per-event buffer, no concatenation), then checksummed there.
 *
 * @param payloads - JSON texts
 * @param payloadBytes - the UTF-8 byte length of all payloads together
 */
export function encodeFrames(payloads: readonly string[], payloadBytes: number): Buffer {
  const out = Buffer.allocUnsafe(payloads.length * FRAME_OVERHEAD + payloadBytes);
  let pos = 0;
  for (const text of payloads) {
    const start = pos + FRAME_OVERHEAD;
    const length = out.write(text, start, "utf8");
    out.writeUInt32LE(length, pos);
    out.writeUInt32LE(crc32(out.subarray(start, start + length)), pos + 4);
    pos = start + length;
  }
  if (pos !== out.length) throw new RangeError(`encodeFrames: payloads took ${pos - payloads.length * FRAME_OVERHEAD} bytes, expected ${payloadBytes}`);
  return out;
}

/** Result of scanning a journal's bytes. */
export interface JournalScan<E> {
  /** Events of every valid frame, in order (seq 0, 1, 2, …). */
  readonly events: E[];
  /** End of the last valid frame: where the next frame goes once a torn tail is cut off. */
  readonly validEnd: number;
  /** Whether bytes after {@link JournalScan.validEnd} form a torn (partial or garbled) last frame. */
  readonly tornTail: boolean;
}

/**
 * Decodes a whole journal file.
 *
 * @param bytes - the file's contents
 * @param file - the file's path, for error messages
 * @throws JournalCorruptError for a bad header, a damaged frame followed by valid ones, or a CRC-valid
 *   frame that is not the next event
 */
export function scanJournal<E extends JournalEvent = JournalEvent>(bytes: Buffer, file: string): JournalScan<E> {
  checkHeader(bytes, file);
  const events: E[] = [];
  let pos = JOURNAL_HEADER_SIZE;
  while (pos < bytes.length) {
    const problem = frameProblem(bytes, pos);
    if (problem !== undefined) {
      if (validFrameAfter(bytes, pos + 1)) {
        throw new JournalCorruptError(file, pos, `${problem}, and valid frames follow it`);
      }
      return { events, validEnd: pos, tornTail: true };
    }
    const length = bytes.readUInt32LE(pos);
    const end = pos + FRAME_OVERHEAD + length;
    events.push(decodeEvent<E>(bytes.subarray(pos + FRAME_OVERHEAD, end), events.length, file, pos));
    pos = end;
  }
  return { events, validEnd: pos, tornTail: false };
}

function checkHeader(bytes: Buffer, file: string): void {
  if (bytes.length < JOURNAL_HEADER_SIZE) {
    throw new JournalCorruptError(file, 0, `file is ${bytes.length} bytes, shorter than the ${JOURNAL_HEADER_SIZE}-byte header`);
  }
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new JournalCorruptError(file, 0, "not a VLTAIR journal (bad magic)");
  }
  const version = bytes.readUInt32LE(MAGIC.length);
  if (version !== JOURNAL_FORMAT_VERSION) {
    throw new JournalCorruptError(file, MAGIC.length, `unsupported format version ${version} (this build reads ${JOURNAL_FORMAT_VERSION})`);
  }
}

/** Why the frame at `pos` is not valid, or undefined when it is. */
function frameProblem(bytes: Buffer, pos: number): string | undefined {
  const remaining = bytes.length - pos;
  if (remaining < FRAME_OVERHEAD) return `partial frame header (${remaining} bytes left)`;
  const length = bytes.readUInt32LE(pos);
  if (length < MIN_FRAME_PAYLOAD || length > MAX_FRAME_PAYLOAD) return `implausible frame length ${length}`;
  if (length > remaining - FRAME_OVERHEAD) {
    return `partial frame (payload of ${length} bytes, ${remaining - FRAME_OVERHEAD} left)`;
  }
  const payload = bytes.subarray(pos + FRAME_OVERHEAD, pos + FRAME_OVERHEAD + length);
  if (crc32(payload) !== bytes.readUInt32LE(pos + 4)) return "CRC mismatch";
  return undefined;
}

// A torn write damages only the end of the file. If any CRC-valid frame starts after the damage, the
// damage is in the middle and dropping it would drop committed events. Linear in practice: lengths read
// from JSON text are implausible (see MAX_FRAME_PAYLOAD), so the CRC runs only at real frame starts.
function validFrameAfter(bytes: Buffer, from: number): boolean {
  for (let q = from; q + FRAME_OVERHEAD + MIN_FRAME_PAYLOAD <= bytes.length; q++) {
    if (frameProblem(bytes, q) === undefined) return true;
  }
  return false;
}

function decodeEvent<E extends JournalEvent>(payload: Buffer, expectedSeq: number, file: string, pos: number): E {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch (err) {
    throw new JournalCorruptError(file, pos, `frame passes its CRC but is not JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JournalCorruptError(file, pos, "frame passes its CRC but does not hold an event object");
  }
  const seq = (value as { seq?: unknown }).seq;
  if (seq !== expectedSeq) {
    throw new JournalCorruptError(file, pos, `frame holds seq ${JSON.stringify(seq) ?? "undefined"}, expected ${expectedSeq}`);
  }
  return value as E;
}
