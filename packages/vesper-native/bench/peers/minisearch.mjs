// minisearch: in-memory BM25+ full-text search in JS (3-term OR queries).
import MiniSearch from "minisearch";
import { Stopwatch, rssMB, timeQueries } from "../measure.mjs";

/** A minisearch index over the docs' text (ids = doc numbers); build time of addAll only. */
export function buildMiniSearch(w) {
  const docs = w.texts.map((text, id) => ({ id, text }));
  const mini = new MiniSearch({ fields: ["text"] });
  const watch = new Stopwatch();
  watch.sync(() => mini.addAll(docs));
  return { mini, ms: watch.ms };
}

export async function run(w, ctx) {
  const { k, log } = ctx;
  const out = { system: "minisearch", docs: w.n };
  const rssBefore = rssMB();
  log("building");
  const { mini, ms } = buildMiniSearch(w);
  out.build = { ms, rate: w.n / (ms / 1e3) };
  out.rss = { beforeMB: rssBefore, afterMB: rssMB() };
  out.rss.deltaMB = out.rss.afterMB - rssBefore;
  log("bm25");
  out.bm25 = await timeQueries(w.queries, w.warmupQueries, (q) => mini.search(q.text, { combineWith: "OR" }), (r) =>
    r.slice(0, k).map((hit) => hit.id),
  );
  return out;
}
