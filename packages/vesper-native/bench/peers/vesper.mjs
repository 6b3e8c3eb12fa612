// Vesper through @vltair/vesper-native (this package's dist/ and prebuild): every call is async (it
// runs on the addon's thread pool), so latencies are sequential awaited calls, binding included.
import { randomFill } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Stopwatch, rssMB, throughput, timeQueries, timeRepeated } from "../measure.mjs";

const { openCollection } = await import("../../dist/index.js");

const BATCH = 1000;
const ids = (hits) => hits.map((hit) => Number(hit.id));

/** Collection options of a run: cosine, plus the spec's HNSW parameters and durability, if any. */
export function collectionOptions(dim, ctx) {
  return { dim, metric: "cosine", ...(ctx.hnsw ? { hnsw: ctx.hnsw } : {}), ...(ctx.durability ? { durability: ctx.durability } : {}) };
}

/**
 * Builds a collection and measures it. With `ctx.dir` the collection lives there and is left open
 * (the caller then "crashes" the process, for the reopen measurement); otherwise in a temp directory
 * that is closed and removed.
 */
export async function run(w, ctx) {
  const { k, log } = ctx;
  const options = collectionOptions(w.dim, ctx);
  const out = { system: "Vesper", docs: w.n, params: ctx.hnsw ?? "defaults" };
  const dir = ctx.dir ?? mkdtempSync(path.join(tmpdir(), "vesper-bench-"));
  try {
    const rssBefore = rssMB();
    const col = await openCollection(dir, options);
    log("building");
    const watch = new Stopwatch();
    for (let from = 0; from < w.n; from += BATCH) {
      const docs = [];
      for (let i = from; i < Math.min(w.n, from + BATCH); i++) {
        docs.push({ id: i, vector: w.vector(i), text: w.texts[i], metadata: { tag: w.tags[i], lang: w.langs[i] } });
      }
      await watch.async(() => col.upsert(docs));
    }
    out.build = { ms: watch.ms, rate: w.n / (watch.ms / 1e3) };
    out.rss = { beforeMB: rssBefore, afterMB: rssMB() };
    out.rss.deltaMB = out.rss.afterMB - rssBefore;
    const stats = await col.stats();
    out.memoryBytes = stats.memoryBytes;
    out.hnswNodes = stats.hnswNodes;
    // Older builds had no persistence: no `persistent` / `durability` in stats.
    out.persistent = stats.persistent === true;
    out.durability = stats.durability ?? "none (in memory)";
    out.walBytes = stats.walBytes;

    const opts = { k, includeMetadata: false };
    out.dense = [];
    for (const ef of ctx.efs) {
      log(`dense ef ${ef}`);
      const o = { ...opts, efSearch: ef };
      out.dense.push({ ef, ...(await timeQueries(w.queries, w.warmupQueries, (q) => col.searchVector(q.vector, o), ids)) });
    }

    if (ctx.sections.has("filtered")) {
      out.filtered = [];
      for (const ef of ctx.filterEfs) {
        log(`filtered ef ${ef}`);
        const call = (q) => col.searchVector(q.vector, { ...opts, efSearch: ef, filter: { tag: q.tag } });
        out.filtered.push({ ef, ...(await timeQueries(w.queries, w.warmupQueries, call, ids)) });
      }
    }

    if (ctx.sections.has("bm25")) {
      log("bm25");
      out.bm25 = await timeQueries(w.queries, w.warmupQueries, (q) => col.searchText(q.text, opts), ids);
    }

    if (ctx.sections.has("hybrid")) {
      log("hybrid");
      const call = (q) => col.search({ text: q.text, vector: q.vector }, { k, fusion: "RECIPROCAL_RANK", includeMetadata: false });
      out.hybrid = await timeQueries(w.queries, w.warmupQueries, call, ids);
    }

    if (ctx.sections.has("binding")) {
      log("ping and concurrency");
      out.ping = await timeRepeated(20000, 2000, () => col.ping());
      // Reference: Node's own round trip through the same libuv pool (a 1-byte crypto.randomFill).
      const byte = Buffer.alloc(1);
      out.poolFloor = await timeRepeated(20000, 2000, () => new Promise((resolve, reject) => randomFill(byte, (e) => (e ? reject(e) : resolve()))));
      const search = (q) => col.searchVector(q.vector, opts);
      await throughput(w.warmupQueries, 500, 8, search);
      out.concurrency = [];
      for (const c of [1, 2, 8]) out.concurrency.push(await throughput(w.queries, 3000, c, search));
    }
    if (!ctx.dir) await col.close();
  } finally {
    if (!ctx.dir) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
