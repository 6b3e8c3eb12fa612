// hnswlib-node: dense (HNSW, M 16, efConstruction 128, single-threaded addPoint), dense with a JS filter
// callback, and the hybrid baseline hnswlib-node + minisearch + RRF in JS.
import { createRequire } from "node:module";
import { Stopwatch, rssMB, timeQueries } from "../measure.mjs";
import { rrf } from "../rrf.mjs";
import { buildMiniSearch } from "./minisearch.mjs";

const { HierarchicalNSW } = createRequire(import.meta.url)("hnswlib-node");

export const HNSW_PARAMS = { M: 16, efConstruction: 128, seed: 100 };

/** hnswlib-node takes plain number[] vectors; conversion happens outside every timed region. */
const plain = (q) => ({ ...q, array: Array.from(q.vector) });

export async function run(w, ctx) {
  const { k, log } = ctx;
  const out = { system: "hnswlib-node", docs: w.n, params: HNSW_PARAMS };
  const rssBefore = rssMB();
  log("building");
  const index = new HierarchicalNSW("cosine", w.dim);
  index.initIndex(w.n, HNSW_PARAMS.M, HNSW_PARAMS.efConstruction, HNSW_PARAMS.seed);
  const watch = new Stopwatch();
  for (let i = 0; i < w.n; i++) {
    const v = Array.from(w.vector(i));
    watch.sync(() => index.addPoint(v, i));
  }
  out.build = { ms: watch.ms, rate: w.n / (watch.ms / 1e3) };
  out.rss = { beforeMB: rssBefore, afterMB: rssMB() };
  out.rss.deltaMB = out.rss.afterMB - rssBefore;

  const queries = w.queries.map(plain);
  const warmup = w.warmupQueries.map(plain);
  const neighbors = (r) => r.neighbors;

  out.dense = [];
  for (const ef of ctx.efs) {
    log(`dense ef ${ef}`);
    index.setEf(ef);
    out.dense.push({ ef, ...(await timeQueries(queries, warmup, (q) => index.searchKnn(q.array, k), neighbors)) });
  }

  if (ctx.sections.has("filtered")) {
    const tags = w.tags;
    const byTag = Array.from({ length: 10 }, (_, t) => (label) => tags[label] === t);
    out.filtered = [];
    for (const ef of ctx.filterEfs) {
      log(`filtered ef ${ef}`);
      index.setEf(ef);
      out.filtered.push({ ef, ...(await timeQueries(queries, warmup, (q) => index.searchKnn(q.array, k, byTag[q.tag]), neighbors)) });
    }
  }

  if (ctx.sections.has("hybrid")) {
    log("building minisearch for the hybrid baseline");
    const mini = buildMiniSearch(w).mini;
    out.rss.stackMB = rssMB() - rssBefore;
    const candidates = k * ctx.rerankFactor;
    index.setEf(Math.max(candidates, ctx.defaultEf));
    const hybrid = (q) => {
      const dense = index.searchKnn(q.array, candidates).neighbors;
      const sparse = mini.search(q.text, { combineWith: "OR" });
      const sparseIds = new Array(Math.min(candidates, sparse.length));
      for (let i = 0; i < sparseIds.length; i++) sparseIds[i] = sparse[i].id;
      return rrf([dense, sparseIds], k);
    };
    log("hybrid");
    out.hybrid = await timeQueries(queries, warmup, hybrid, (ids) => ids);
  }
  return out;
}
