// Journal append throughput at each durability policy, with 1 and 256 concurrent appenders (group commit
// is what makes `commit` usable under concurrency). Import `benchJournal` (bench/run.mjs does) or run this
// file alone to print a table. Needs the built package: `npx tsc -p tsconfig.build.json`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Journal } from "../dist/journal/index.js";

const DURABILITIES = ["none", "flush", "commit"];
const CONCURRENCIES = [1, 256];

/** A TaskSucceeded-sized event (~350 bytes of JSON). */
function makeEvent(seq) {
  return {
    type: "TaskSucceeded",
    runId: "bench-run",
    seq,
    time: 1_700_000_000_000 + seq,
    taskId: `task-${seq}`,
    result: {
      type: "AgentResult",
      id: `result-${seq}`,
      parentId: `task-${seq}`,
      agent: "codegen",
      payload: { artifacts: [{ kind: "text", title: "summary", content: "x".repeat(120) }] },
      metrics: { tokensUsed: 512, timeMs: 3, costUsd: 0.0004 },
    },
  };
}

// Sequential fsyncs cost milliseconds each on shared disks: fewer appends keep that row short.
function appendsFor(durability, concurrency) {
  return durability === "commit" && concurrency === 1 ? 400 : 20_000;
}

async function measure(durability, concurrency) {
  const dir = await mkdtemp(join(tmpdir(), "vltair-bench-journal-"));
  try {
    const journal = await Journal.open(join(dir, "runs", "bench"), { durability });
    const total = appendsFor(durability, concurrency);
    let next = 0;
    const appender = async () => {
      while (next < total) await journal.append(makeEvent(next++));
    };
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, appender));
    await journal.close(); // `none` and `flush` are only done once written and synced
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { durability, concurrency, appendsPerSec: Math.round(total / seconds), fsyncs: journal.stats.fsyncs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Appends per second for each durability × concurrency, including the final close (write + fsync).
 * @returns {Promise<{ durability: string, concurrency: number, appendsPerSec: number, fsyncs: number }[]>}
 */
export async function benchJournal() {
  const rows = [];
  for (const durability of DURABILITIES) {
    for (const concurrency of CONCURRENCIES) {
      await measure(durability, concurrency); // warm-up: JIT and page cache
      rows.push(await measure(durability, concurrency));
    }
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchJournal();
  console.log("| durability | concurrency | appends/s | fsyncs |");
  console.log("|---|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r.durability} | ${r.concurrency} | ${r.appendsPerSec.toLocaleString("en-US")} | ${r.fsyncs} |`);
}
