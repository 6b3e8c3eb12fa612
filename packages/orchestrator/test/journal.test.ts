import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Journal,
  JOURNAL_FILE_NAME,
  JournalClosedError,
  JournalCorruptError,
  JournalLockedError,
  JournalNotFoundError,
  JournalSequenceError,
  listRunDirs,
  readJournal,
  type Durability,
} from "../src/journal/index.js";
import type { RunEvent } from "@vltair/envelopes";
import { encodeFrame, JOURNAL_HEADER_SIZE } from "../src/journal/format.js";
import { JOURNAL_LOCK_FILE_NAME } from "../src/journal/lock.js";

const here = dirname(fileURLToPath(import.meta.url));

/** A TaskStarted event; `extra` adds fields (the journal stores whatever JSON it is given). */
function event(seq: number, extra: Record<string, unknown> = {}): RunEvent {
  return { type: "TaskStarted", runId: "run-1", seq, time: 1_000 + seq, taskId: `task-${seq}`, agent: "codegen", attempt: 1, ...extra };
}

async function writeJournal(runDir: string, count: number, durability: Durability = "commit"): Promise<void> {
  const journal = await Journal.open(runDir, { durability });
  for (let seq = 0; seq < count; seq++) await journal.append(event(seq));
  await journal.close();
}

/** Byte offset where each frame starts, from the journal's own length fields. */
function frameOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let pos = JOURNAL_HEADER_SIZE; pos < bytes.length; pos += 8 + bytes.readUInt32LE(pos)) offsets.push(pos);
  return offsets;
}

let root: string;
let runDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "vltair-journal-"));
  runDir = join(root, "runs", "run-1");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("Journal round trip", () => {
  it("stores events in order and reads them back, also after reopening", async () => {
    const journal = await Journal.open(runDir);
    expect(journal.lastSeq).toBe(-1);
    expect(journal.runDir).toBe(runDir);
    expect(journal.durability).toBe("commit");
    const events = [event(0, { manifest: { seed: 1, text: "héllo ✓" } }), event(1), event(2)];
    for (const e of events) await journal.append(e);
    expect(journal.lastSeq).toBe(2);
    await journal.close();

    expect(await readJournal(runDir)).toEqual({ events, tornTail: false });
    const reopened = await Journal.open(runDir);
    expect(reopened.lastSeq).toBe(2);
    expect(reopened.recovery).toEqual({ events: 3, truncatedBytes: 0 });
    await reopened.append(event(3));
    await reopened.close();
    expect((await readJournal(runDir)).events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });

  it("keeps an empty journal valid", async () => {
    await (await Journal.open(runDir)).close();
    expect(await readJournal(runDir)).toEqual({ events: [], tornTail: false });
    expect((await stat(join(runDir, JOURNAL_FILE_NAME))).size).toBe(JOURNAL_HEADER_SIZE);
  });
});

describe("Journal.append checks", () => {
  it("rejects a seq that is not lastSeq + 1 and stays usable", async () => {
    const journal = await Journal.open(runDir);
    const err = await journal.append(event(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalSequenceError);
    expect(err).toMatchObject({ code: "JOURNAL_SEQUENCE", expected: 0, actual: 1 });
    expect((err as Error).message).toContain("seq must be 0");
    expect(journal.lastSeq).toBe(-1);
    await journal.append(event(0));
    await expect(journal.append(event(0))).rejects.toThrow(/seq must be 1/);
    await expect(journal.append({ type: "X", runId: "r", seq: "1", time: 0 } as unknown as RunEvent)).rejects.toBeInstanceOf(JournalSequenceError);
    await journal.close();
    expect((await readJournal(runDir)).events).toHaveLength(1);
  });

  it("updates lastSeq synchronously, before the append is durable", async () => {
    const journal = await Journal.open(runDir);
    const pending = journal.append(event(0));
    expect(journal.lastSeq).toBe(0);
    await pending;
    await journal.close();
  });

  it("rejects an event that is not JSON-serialisable without consuming its seq", async () => {
    const journal = await Journal.open(runDir);
    await expect(journal.append(event(0, { size: 1n }))).rejects.toThrow(/seq 0 cannot be serialised as JSON/);
    expect(journal.lastSeq).toBe(-1);
    await journal.append(event(0));
    await journal.close();
  });

  it("refuses appends after close, and close is idempotent", async () => {
    const journal = await Journal.open(runDir);
    await journal.append(event(0));
    await Promise.all([journal.close(), journal.close()]);
    await expect(journal.append(event(1))).rejects.toBeInstanceOf(JournalClosedError);
  });

  it("validates its options", async () => {
    await expect(Journal.open(runDir, { durability: "always" as Durability })).rejects.toThrow(/durability must be one of none, flush, commit/);
    await expect(Journal.open(runDir, { groupCommitMs: -1 })).rejects.toThrow(/groupCommitMs must be a finite number/);
  });
});

describe("durability modes", () => {
  it("commit: an append resolves once written and fdatasync'ed", async () => {
    const journal = await Journal.open(runDir, { durability: "commit" });
    await journal.append(event(0));
    expect(journal.stats).toMatchObject({ appends: 1, writes: 1, fsyncs: 1 });
    expect((await readJournal(runDir)).events).toHaveLength(1);
    await journal.close();
  });

  it("flush: an append resolves once written, without fdatasync; close syncs once", async () => {
    const journal = await Journal.open(runDir, { durability: "flush" });
    await journal.append(event(0));
    await journal.append(event(1));
    expect(journal.stats).toMatchObject({ appends: 2, writes: 2, fsyncs: 0 });
    expect((await readJournal(runDir)).events).toHaveLength(2);
    await journal.close();
    expect(journal.stats.fsyncs).toBe(1);
  });

  it("none: an append resolves before anything is written; the write follows lazily and by close", async () => {
    const journal = await Journal.open(runDir, { durability: "none" });
    for (let seq = 0; seq < 100; seq++) await journal.append(event(seq));
    expect(journal.stats).toMatchObject({ appends: 100, writes: 0 });
    // Written lazily, without close: wait (bounded) until the OS has the burst.
    for (let turn = 0; turn < 10_000 && journal.stats.writes === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect((await readJournal(runDir)).events).toHaveLength(100);
    expect(journal.stats).toMatchObject({ writes: 1, fsyncs: 0 }); // the whole burst in one write
    await journal.append(event(100));
    await journal.close();
    expect((await readJournal(runDir)).events).toHaveLength(101);
  });
  it("none: a burst larger than 1 MiB starts writing before the burst ends, bounding memory", async () => {
    const journal = await Journal.open(runDir, { durability: "none" });
    const bulky = "x".repeat(10_000);
    for (let seq = 0; seq < 300; seq++) void journal.append(event(seq, { bulky })); // ~3 MB in one turn
    await journal.close();
    expect(journal.stats.writes).toBeGreaterThanOrEqual(2);
    expect((await readJournal(runDir)).events).toHaveLength(300);
  });
});

describe("group commit", () => {
  it("batches concurrent appends into few writes and fsyncs", async () => {
    const journal = await Journal.open(runDir, { durability: "commit" });
    const n = 2_000;
    await Promise.all(Array.from({ length: n }, (_, seq) => journal.append(event(seq))));
    const { writes, fsyncs } = journal.stats;
    expect(fsyncs).toBeLessThanOrEqual(2);
    expect(writes).toBe(fsyncs);
    await journal.close();
    expect((await readJournal(runDir)).events.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("gathers appends that arrive during an fsync into the next single batch", async () => {
    const journal = await Journal.open(runDir, { durability: "commit" });
    const first = journal.append(event(0));
    await Promise.resolve();
    await Promise.resolve(); // the first batch is now in flight
    const rest = Array.from({ length: 500 }, (_, i) => journal.append(event(i + 1)));
    await Promise.all([first, ...rest]);
    expect(journal.stats).toMatchObject({ writes: 2, fsyncs: 2 });
    await journal.close();
  });

  it("with groupCommitMs, waits to gather appends made in separate turns", async () => {
    const journal = await Journal.open(runDir, { durability: "commit", groupCommitMs: 20 });
    const pending: Promise<void>[] = [];
    for (let seq = 0; seq < 50; seq++) {
      pending.push(journal.append(event(seq)));
      await new Promise((resolve) => setImmediate(resolve)); // a new event-loop turn per append
    }
    await Promise.all(pending);
    expect(journal.stats.fsyncs).toBeLessThan(50);
    await journal.close();
    expect((await readJournal(runDir)).events).toHaveLength(50);
  });
});

describe("torn tail recovery", () => {
  it("at every byte offset of the last frame yields exactly the prior events", async () => {
    await writeJournal(runDir, 4);
    const bytes = await readFile(join(runDir, JOURNAL_FILE_NAME));
    const lastStart = frameOffsets(bytes).at(-1) as number;
    const prior = (await readJournal(runDir)).events.slice(0, 3);
    const cutDir = join(root, "cut");
    for (let cut = lastStart; cut < bytes.length; cut++) {
      await rm(cutDir, { recursive: true, force: true });
      await mkdir(cutDir);
      await writeFile(join(cutDir, JOURNAL_FILE_NAME), bytes.subarray(0, cut));
      expect(await readJournal(cutDir)).toEqual({ events: prior, tornTail: cut > lastStart });
      const journal = await Journal.open(cutDir);
      expect(journal.lastSeq).toBe(2);
      expect(journal.recovery.truncatedBytes).toBe(cut - lastStart);
      await journal.append(event(3, { again: true }));
      await journal.close();
      const after = await readJournal(cutDir);
      expect(after.tornTail).toBe(false);
      expect(after.events).toEqual([...prior, event(3, { again: true })]);
    }
  });

  it("at every byte offset of a multi-frame last batch yields exactly the complete frames", async () => {
    const journal = await Journal.open(runDir);
    await journal.append(event(0));
    await Promise.all([1, 2, 3, 4].map((seq) => journal.append(event(seq)))); // one batch, one write
    expect(journal.stats.writes).toBe(2);
    await journal.close();
    const bytes = await readFile(join(runDir, JOURNAL_FILE_NAME));
    const offsets = frameOffsets(bytes);
    const all = (await readJournal(runDir)).events;
    const cutDir = join(root, "cut");
    await mkdir(cutDir);
    for (let cut = offsets[1] as number; cut <= bytes.length; cut++) {
      await writeFile(join(cutDir, JOURNAL_FILE_NAME), bytes.subarray(0, cut));
      const complete = offsets.filter((o, i) => (offsets[i + 1] ?? bytes.length) <= cut && o < cut).length;
      const { events } = await readJournal(cutDir);
      expect(events).toEqual(all.slice(0, complete));
    }
  });

  it("treats a zero-filled or garbage tail after the last frame as torn", async () => {
    await writeJournal(runDir, 3);
    const file = join(runDir, JOURNAL_FILE_NAME);
    const clean = await readFile(file);
    for (const tail of [Buffer.alloc(4096), Buffer.from("garbage that is not a frame \u0001\u0002", "utf8"), Buffer.from([5, 0, 0, 0, 1, 2])]) {
      await writeFile(file, Buffer.concat([clean, tail]));
      expect(await readJournal(runDir)).toMatchObject({ tornTail: true });
      const journal = await Journal.open(runDir);
      expect(journal.lastSeq).toBe(2);
      await journal.close();
      expect((await stat(file)).size).toBe(clean.length);
    }
  });
});

describe("corruption", () => {
  it("reports a flipped byte mid-file with the frame's offset, and leaves the file alone", async () => {
    await writeJournal(runDir, 5);
    const file = join(runDir, JOURNAL_FILE_NAME);
    const bytes = await readFile(file);
    const offsets = frameOffsets(bytes);
    const target = offsets[2] as number;
    for (const flipAt of [target + 20, target + 1 /* length field */, target + 5 /* crc field */]) {
      const damaged = Buffer.from(bytes);
      damaged[flipAt] = (damaged[flipAt] as number) ^ 0x40;
      await writeFile(file, damaged);
      const err = await readJournal(runDir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JournalCorruptError);
      expect(err).toMatchObject({ code: "JOURNAL_CORRUPT", offset: target, file });
      expect((err as Error).message).toContain(`at byte offset ${target}`);
      expect((err as Error).message).toContain("valid frames follow");
      await expect(Journal.open(runDir)).rejects.toBeInstanceOf(JournalCorruptError);
      expect(await readFile(file)).toEqual(damaged); // never truncated away
    }
  });

  it("a failed open releases the run directory", async () => {
    await writeJournal(runDir, 3);
    const file = join(runDir, JOURNAL_FILE_NAME);
    const good = await readFile(file);
    const bad = Buffer.from(good);
    bad[JOURNAL_HEADER_SIZE + 10] = 0;
    await writeFile(file, bad);
    await expect(Journal.open(runDir)).rejects.toBeInstanceOf(JournalCorruptError);
    await writeFile(file, good);
    await (await Journal.open(runDir)).close();
  });

  it("rejects a bad header, an unknown version and a short file", async () => {
    await writeJournal(runDir, 1);
    const file = join(runDir, JOURNAL_FILE_NAME);
    const bytes = await readFile(file);
    await writeFile(file, Buffer.concat([Buffer.from("NOPE"), bytes.subarray(4)]));
    await expect(readJournal(runDir)).rejects.toThrow(/bad magic/);
    const v2 = Buffer.from(bytes);
    v2.writeUInt32LE(2, 4);
    await writeFile(file, v2);
    await expect(readJournal(runDir)).rejects.toThrow(/unsupported format version 2/);
    await writeFile(file, bytes.subarray(0, 5));
    await expect(readJournal(runDir)).rejects.toMatchObject({ offset: 0, message: expect.stringMatching(/shorter than the 8-byte header/) });
  });

  it("rejects CRC-valid frames that are not the next event", async () => {
    const file = join(runDir, JOURNAL_FILE_NAME);
    await writeJournal(runDir, 2);
    const bytes = await readFile(file);
    const cases: [Buffer, RegExp][] = [
      [encodeFrame(Buffer.from(JSON.stringify(event(5)))), /holds seq 5, expected 2/],
      [encodeFrame(Buffer.from("{not json")), /not JSON/],
      [encodeFrame(Buffer.from("[1,2]")), /does not hold an event object/],
    ];
    for (const [frame, message] of cases) {
      await writeFile(file, Buffer.concat([bytes, frame]));
      await expect(readJournal(runDir)).rejects.toThrow(message);
    }
  });
});

describe("one writer per run directory", () => {
  it("refuses a second Journal in the same process, also when opened concurrently", async () => {
    const results = await Promise.allSettled([Journal.open(runDir), Journal.open(runDir)]);
    const opened = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(JournalLockedError);
    expect(((refused[0] as PromiseRejectedResult).reason as Error).message).toMatch(/already open in this process/);
    await (opened[0] as PromiseFulfilledResult<Journal>).value.close();
    await (await Journal.open(runDir)).close(); // free again after close
    expect(existsSync(join(runDir, JOURNAL_LOCK_FILE_NAME))).toBe(false);
  });

  it("refuses a lock held by another live process, naming its pid", async () => {
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, JOURNAL_LOCK_FILE_NAME), `${process.ppid}\n`);
    const err = await Journal.open(runDir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalLockedError);
    expect(err).toMatchObject({ holderPid: process.ppid });
    expect((err as Error).message).toContain(`another process (pid ${process.ppid})`);
  });

  it("takes over a stale lock of a dead process or an unreadable one", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    const deadPid = child.pid as number;
    await new Promise((resolve) => child.on("exit", resolve));
    await mkdir(runDir, { recursive: true });
    for (const content of [`${deadPid}\n`, "not a pid", `${process.pid}\n`]) {
      await writeFile(join(runDir, JOURNAL_LOCK_FILE_NAME), content);
      const journal = await Journal.open(runDir);
      expect((await readFile(join(runDir, JOURNAL_LOCK_FILE_NAME), "utf8")).trim()).toBe(String(process.pid));
      await journal.close();
    }
  });
});

describe("readJournal and listRunDirs", () => {
  it("readJournal reports a missing journal clearly", async () => {
    const err = await readJournal(join(root, "nope")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalNotFoundError);
    expect((err as Error).message).toContain(join(root, "nope", JOURNAL_FILE_NAME));
  });

  it("listRunDirs lists run directories sorted, and nothing before the first run", async () => {
    expect(await listRunDirs(join(root, "empty"))).toEqual([]);
    for (const id of ["run-b", "run-a", "run-c"]) await mkdir(join(root, "runs", id), { recursive: true });
    await writeFile(join(root, "runs", "stray.txt"), "");
    expect(await listRunDirs(root)).toEqual(["run-a", "run-b", "run-c"]);
  });
});

describe("crash of a real writer process", () => {
  const writer = join(here, "fixtures", "journal-writer.mjs");

  /** Runs the writer until it has acknowledged `atLeast` appends, SIGKILLs it, returns the acknowledged seqs. */
  async function runAndKill(atLeast: number): Promise<{ opened: number; acked: number[] }> {
    const child = spawn(process.execPath, [writer, runDir, "16"], { stdio: ["ignore", "pipe", "pipe"] });
    const acked: number[] = [];
    let opened = Number.NaN;
    let buffered = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`writer exited early (${code}): ${stderr}`))));
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (line.startsWith("open ")) opened = Number(line.slice(5));
          else acked.push(Number(line));
        }
        if (acked.length >= atLeast) child.kill("SIGKILL");
      });
    });
    return { opened, acked };
  }

  it("keeps every acknowledged append across repeated SIGKILLs at durability commit", async () => {
    expect(existsSync(join(here, "..", "dist", "journal", "index.js")), "build the package first (tsc -p tsconfig.build.json)").toBe(true);
    let lastSeq = -1;
    for (let round = 0; round < 4; round++) {
      const { opened, acked } = await runAndKill(300 + round * 97);
      expect(opened).toBe(lastSeq); // each run resumes after exactly what the previous one left
      const { events } = await readJournal(runDir);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i)); // contiguous, no holes
      const present = new Set(events.map((e) => e.seq));
      expect(acked.filter((seq) => !present.has(seq))).toEqual([]);
      lastSeq = events.length - 1;
    }
    const journal = await Journal.open(runDir); // the dead writer's lock is stale
    expect(journal.lastSeq).toBe(lastSeq);
    await journal.close();
  });
});

describe("encodeFrames", () => {
  it("frames a batch exactly like one encodeFrame per payload, non-ASCII included", async () => {
    const { encodeFrames } = await import("../src/journal/format.js");
    const texts = ['{"a":1}', '{"t":"héllo wörld ✓ 𝄞"}', JSON.stringify({ s: "x".repeat(1000) })];
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    expect(encodeFrames(texts, bytes).equals(Buffer.concat(texts.map((t) => encodeFrame(Buffer.from(t)))))).toBe(true);
    expect(() => encodeFrames(texts, bytes + 1)).toThrow(RangeError);
  });
});
