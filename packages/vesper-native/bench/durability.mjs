#!/usr/bin/env node
// Ingest throughput by durability mode, and group commit under concurrent writers (issue: Vesper
// durability). Standalone: `node bench/durability.mjs` prints a markdown section; run.mjs embeds it.
//
// Two ingest shapes: bulk (batches of 500 documents with vectors, text and metadata: the HNSW insert
// dominates) and single-document writes without vectors (where the WAL and fsync dominate). Group
// commit: the same single-document writes issued by 1 and by 16 concurrent writers in commit mode.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateWorkload } from "./workload.mjs";

const { openCollection } = await import("../dist/index.js");

const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);

async function withCollection(mode, fn, extra = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vesper-durability-"));
  const col = await openCollection(dir, { dim: 384, durability: { mode, ...extra } });
  try {
    return await fn(col);
  } finally {
    await col.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

async function bulk(w, mode) {
  return withCollection(mode, async (col) => {
    const start = process.hrtime.bigint();
    for (let from = 0; from < w.n; from += 500) {
      const docs = [];
      for (let i = from; i < Math.min(w.n, from + 500); i++) {
        docs.push({ id: i, vector: w.vector(i), text: w.texts[i], metadata: { tag: w.tags[i], lang: w.langs[i] } });
      }
      await col.upsert(docs);
    }
    return w.n / seconds(start);
  });
}

async function singles(w, mode, writers, n) {
  return withCollection(mode, async (col) => {
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = next++; i < n; i = next++) await col.upsert([{ id: i, text: w.texts[i], metadata: { tag: w.tags[i] } }]);
      }),
    );
    const rate = n / seconds(start);
    const { lastLsn } = await col.stats();
    return { rate, batches: n, frames: lastLsn };
  });
}

/** Runs the measurements; returns raw numbers. */
export async function measureDurability({ docs = env("BENCH_DURABILITY_DOCS", 20000), singlesCount = env("BENCH_DURABILITY_SINGLES", 3000) } = {}) {
  const w = generateWorkload({ docs, queries: 0, warmup: 0 });
  const results = { docs, singles: singlesCount, bulk: {}, single: {}, group: {} };
  for (const mode of ["none", "flush", "commit"]) results.bulk[mode] = await bulk(w, mode);
  for (const mode of ["none", "flush", "commit"]) results.single[mode] = (await singles(w, mode, 1, singlesCount)).rate;
  results.group.sequential = (await singles(w, "commit", 1, singlesCount)).rate;
  results.group.concurrent16 = (await singles(w, "commit", 16, singlesCount)).rate;
  return results;
}

/** Markdown for docs/benchmarks.md. */
export function renderDurability(r) {
  const f = (x) => Math.round(x).toLocaleString("en-US");
  const ratio = (a, b) => (a / b).toFixed(2);
  return [
    "## Durability: ingest throughput by mode",
    "",
    `Bulk: ${f(r.docs)} documents (384-d vector, text, two metadata fields) in batches of 500 — the HNSW`,
    `insert dominates. Single: ${f(r.singles)} one-document writes without vectors — the WAL and its fsync dominate.`,
    "",
    "| mode | bulk docs/s | ÷ none | single writes/s | ÷ none |",
    "|---|---:|---:|---:|---:|",
    ...["none", "flush", "commit"].map(
      (m) => `| ${m} | ${f(r.bulk[m])} | ${ratio(r.bulk[m], r.bulk.none)} | ${f(r.single[m])} | ${ratio(r.single[m], r.single.none)} |`,
    ),
    "",
    "Group commit (mode `commit`, one-document writes): concurrent writers share fsyncs.",
    "",
    "| writers | writes/s | ÷ 1 writer |",
    "|---|---:|---:|",
    `| 1 | ${f(r.group.sequential)} | 1.00 |`,
    `| 16 | ${f(r.group.concurrent16)} | ${ratio(r.group.concurrent16, r.group.sequential)} |`,
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measureDurability();
  console.log(renderDurability(results));
}
