// Context-store benchmark: ingest rate of this repository and query latency through the store versus
// the same queries on the raw Vesper collection it wraps (same process, same machine, same run).
// Run: npm run bench -w @vltair/context-store (after building). Writes its section of docs/benchmarks.md.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { openCollection } from "@vltair/vesper-native";
import { HashingEmbedder, openContextStore } from "../dist/index.js";
import { walkRepository } from "../dist/ingest/repo-walker.js";
import { chunkText } from "../dist/ingest/text-chunker.js";
import { chunkTypeScript } from "../dist/ingest/ts-chunker.js";
import { isTypeScriptFamily, languageOf } from "../dist/ingest/language.js";
import { writeBenchSection } from "../../../tools/bench-section.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..", "..");
const QUERIES = 300;
const ROUNDS = 3; // each query set is timed this many times, interleaving store and raw
const GOAL = 1.2;

const work = await fs.mkdtemp(path.join(os.tmpdir(), "cs-bench-"));
const embedder = new HashingEmbedder();

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (x) => x.toFixed(3);

// 1. Ingest through the store (durability commit, the default).
const store = await openContextStore(path.join(work, "store"), { embedder });
let t0 = performance.now();
const report = await store.ingest(repo);
const storeIngestS = (performance.now() - t0) / 1000;
const reingestT0 = performance.now();
const again = await store.ingest(repo);
const reingestS = (performance.now() - reingestT0) / 1000;

// 2. Peer: the same walk, chunks and embedder, upserted straight into a raw collection in batches of 64.
const raw = await openCollection(path.join(work, "raw"), { dim: embedder.dim, metric: "cosine", bm25: { analyzer: "code" }, durability: { mode: "commit" } });
t0 = performance.now();
const files = await walkRepository(repo);
let rawChunks = 0;
let batch = [];
let rawFiles = 0;
for (const rel of files) {
  const bytes = await fs.readFile(path.join(repo, rel));
  if (bytes.length > 1024 * 1024 || bytes.subarray(0, 8192).includes(0)) continue;
  rawFiles++;
  const language = languageOf(rel);
  const text = bytes.toString("utf8");
  const chunks = isTypeScriptFamily(language) ? chunkTypeScript(rel, text) : chunkText(text);
  for (const c of chunks) {
    const body = [rel, c.symbol, c.content].filter(Boolean).join("\n");
    batch.push({ key: `${rel}#${c.symbol ?? ""}@${c.startLine}`, text: body, vector: embedder.embedOne(body), metadata: { scope: "global", path: rel, language }, payload: { content: c.content } });
    if (batch.length >= 64) {
      await raw.upsert(batch);
      rawChunks += batch.length;
      batch = [];
    }
  }
}
if (batch.length > 0) await raw.upsert(batch);
rawChunks += batch.length;
const rawIngestS = (performance.now() - t0) / 1000;
await raw.close();

// 3. Queries: symbol names and a word of their chunks, picked deterministically from the store.
const seedHits = await store.search("export function class interface", { scopes: ["global"], k: 1000, mode: "sparse", kinds: ["code"] });
const symbols = [...new Set(seedHits.map((h) => h.doc.symbol).filter(Boolean))].sort();
const queries = Array.from({ length: QUERIES }, (_, i) => {
  const s = symbols[(i * 7919) % symbols.length] ?? "store";
  return i % 3 === 0 ? s : `${s} ${["parse", "error", "search", "write", "scope"][i % 5]}`;
});


await store.close();
// Reopen twice over the same directory in turn: with the default read cache, and with it off.

const scopes = ["global", "session:bench"];
const filter = { scope: { $in: scopes } };
const rows = [];
for (const cacheSize of [4096, 0]) {
const s = await openContextStore(path.join(work, "store"), { embedder, cacheSize });
const col = s.collection;
const modes = {
  hybrid: { store: (q) => s.search(q, { scopes, k: 10 }), raw: (q) => col.search({ text: q, vector: embedder.embedOne(q), filter }, { k: 10 }) },
  sparse: { store: (q) => s.search(q, { scopes, k: 10, mode: "sparse" }), raw: (q) => col.search({ text: q, filter }, { k: 10 }) },
  dense: { store: (q) => s.search(q, { scopes, k: 10, mode: "dense" }), raw: (q) => col.search({ vector: embedder.embedOne(q), filter }, { k: 10 }) },
};
for (const [mode, run] of Object.entries(modes)) {
  for (const q of queries.slice(0, 30)) { await run.store(q); await run.raw(q); } // warm-up
  const times = { store: [], raw: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of queries) {
      for (const side of r % 2 === 0 ? ["store", "raw"] : ["raw", "store"]) {
        const start = performance.now();
        await run[side](q);
        times[side].push(performance.now() - start);
      }
    }
  }
  for (const side of ["store", "raw"]) times[side].sort((a, b) => a - b);
  const s50 = pct(times.store, 50), s99 = pct(times.store, 99), r50 = pct(times.raw, 50), r99 = pct(times.raw, 99);
  rows.push({ mode: `${mode}, cache ${cacheSize === 0 ? "off" : cacheSize}`, s50, s99, r50, r99, ratio: s50 / r50 });
}
await s.close();
}
await fs.rm(work, { recursive: true, force: true });

const lines = [
  "## Context store",
  "",
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}. Embedder: hashing (dim 384, lexical). Durability: commit.`,
  "",
  "### Ingest of this repository",
  "",
  "| what | files | chunks | seconds | files/s | chunks/s |",
  "|---|---|---|---|---|---|",
  `| store.ingest (versions, catalog, manifest) | ${report.filesIndexed} | ${report.chunks} | ${storeIngestS.toFixed(2)} | ${(report.filesIndexed / storeIngestS).toFixed(0)} | ${(report.chunks / storeIngestS).toFixed(0)} |`,
  `| raw collection (same walk, chunks, embedder; batches of 64) | ${rawFiles} | ${rawChunks} | ${rawIngestS.toFixed(2)} | ${(rawFiles / rawIngestS).toFixed(0)} | ${(rawChunks / rawIngestS).toFixed(0)} |`,
  `| store re-ingest, nothing changed | ${again.filesScanned} scanned, ${again.filesIndexed} indexed | ${again.chunks} | ${reingestS.toFixed(2)} | ${(again.filesScanned / reingestS).toFixed(0)} | — |`,
  "",
  `Store ingest ÷ raw: ${(storeIngestS / rawIngestS).toFixed(2)} × the time (no goal set; the store also writes a version record, catalog shards and the manifest).`,
  "",
  `### Query latency, k = 10, ${QUERIES} queries × ${ROUNDS} rounds over the ${report.chunks} chunks`,
  "",
  "Store = `store.search` (validation, scope filter, embedding, engine search, reading the k stored documents:",
"from the store's write-through read cache when on — the store is the collection's only writer — else one engine `get` each).",
  "Raw = the same search on the collection the store wraps (embedding included, hits without documents).",
  "",
  "| mode | store p50 ms | store p99 ms | raw p50 ms | raw p99 ms | store ÷ raw (p50) | goal ≤ 1.20 |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.mode} | ${ms(r.s50)} | ${ms(r.s99)} | ${ms(r.r50)} | ${ms(r.r99)} | ${r.ratio.toFixed(2)} | ${r.ratio <= GOAL ? "met" : "missed"} |`),
];
const markdown = lines.join("\n");
console.log(markdown);
writeBenchSection("context-store", markdown);
