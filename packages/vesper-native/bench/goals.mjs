// The goals of TARGETS.md ("ours ÷ peer, same run"), each checked against this run's numbers.
import { p50AtRecall } from "./stats.mjs";

export const RECALL_TARGET = 0.95;
/** "Many concurrent searches scale to both cores": 8 in flight ≥ this × the 1-in-flight throughput. */
export const SCALING_TARGET = 1.6;

const ms = (us) => `${(us / 1e3).toFixed(3)} ms`;
const x = (r) => `${r.toFixed(2)}×`;
const status = (ok) => (ok === null ? "not measured" : ok ? "met" : "**not met**");

/** Latency (p50, µs) at recall 0.95 of each dense/filtered sweep, interpolated between sweep points. */
export function atTarget(results) {
  const pick = (system, field) => (results[system]?.[field] ? p50AtRecall(results[system][field], RECALL_TARGET) : null);
  return {
    dense: { hnswlib: pick("hnswlib", "dense"), vesperSame: pick("vesper-efc128", "dense"), vesper: pick("vesper", "dense") },
    filtered: { hnswlib: pick("hnswlib", "filtered"), vesper: pick("vesper", "filtered") },
  };
}

/** [{ goal, measured, status }] for the base (50k) run. */
export function evaluateGoals(results, quality) {
  const r = results;
  const at = atTarget(r);
  const goals = [];
  const add = (goal, measured, ok) => goals.push({ goal, measured, status: status(ok) });
  const missing = (what) => `${what}: not reached or not run`;

  {
    const { hnswlib, vesperSame, vesper } = at.dense;
    const goal = "Dense top-10 at recall@10 ≥ 0.95: p50 ≤ 0.8 × hnswlib-node at the same recall";
    if (!hnswlib || !vesperSame) add(goal, missing("recall 0.95"), false);
    else {
      const ratio = vesperSame.p50 / hnswlib.p50;
      const defaults = vesper ? `; Vesper defaults (efC 200): ${ms(vesper.p50)} = ${x(vesper.p50 / hnswlib.p50)}` : "";
      add(goal, `Vesper (same M 16 / efC 128) ${ms(vesperSame.p50)} ÷ hnswlib-node ${ms(hnswlib.p50)} = ${x(ratio)}${defaults}`, ratio <= 0.8);
    }
  }
  {
    const { hnswlib, vesper } = at.filtered;
    const goal = "Dense with a 10 % filter, recall ≥ 0.95: p50 ≤ 1 ms and ≤ 0.25 × hnswlib-node + JS filter";
    if (!hnswlib || !vesper) add(goal, missing("recall 0.95"), false);
    else {
      const ratio = vesper.p50 / hnswlib.p50;
      add(goal, `Vesper ${ms(vesper.p50)}; hnswlib-node + JS filter ${ms(hnswlib.p50)}; ratio ${x(ratio)}`, vesper.p50 <= 1000 && ratio <= 0.25);
    }
  }
  if (r.vesper?.bm25 && r.sqlite?.bm25) {
    const ratio = r.vesper.bm25.p50 / r.sqlite.bm25.p50;
    add("BM25 top-10: p50 ≤ 0.5 × SQLite FTS5", `Vesper ${ms(r.vesper.bm25.p50)} ÷ FTS5 ${ms(r.sqlite.bm25.p50)} = ${x(ratio)}`, ratio <= 0.5);
  }
  if (quality) {
    const vesper = quality.systems.filter((s) => s.name.startsWith("Vesper"));
    const peers = quality.systems.filter((s) => !s.name.startsWith("Vesper"));
    const parts = quality.sets.map(({ language }) => {
      const v = Math.max(...vesper.map((s) => s.byLanguage[language]));
      const p = Math.max(...peers.map((s) => s.byLanguage[language]));
      return { language, v, p, ok: v >= p };
    });
    add(
      "BM25 retrieval quality: nDCG@10 ≥ the best peer (hand-judged sets of bench/quality/, not BEIR: no network here)",
      parts.map((x) => `${x.language}: Vesper ${x.v.toFixed(3)} vs best peer ${x.p.toFixed(3)}`).join("; "),
      parts.every((x) => x.ok),
    );
  } else {
    add("BM25 retrieval quality: nDCG@10 on a judged set ≥ the best peer", "the quality section was not run", null);
  }
  if (r.vesper?.hybrid && r.hnswlib?.hybrid) {
    const v = r.vesper.hybrid, b = r.hnswlib.hybrid;
    const ratio = v.p50 / b.p50;
    add(
      "Hybrid top-10 (RRF): p50 ≤ 1 ms on 50k, ≤ 0.5 × hnswlib-node + minisearch + RRF, p99 ≤ 3 ms",
      `Vesper p50 ${ms(v.p50)}, p99 ${ms(v.p99)}; baseline p50 ${ms(b.p50)}; ratio ${x(ratio)}`,
      v.p50 <= 1000 && ratio <= 0.5 && v.p99 <= 3000,
    );
  }
  const hRate = r.hnswlib?.build?.rate;
  const rate = (v) => `${v.build.rate.toFixed(0)} docs/s = ${x(v.build.rate / hRate)}`;
  {
    const goal = "Ingest with HNSW at durability `commit` (group commit) ≥ 1.0 × hnswlib-node's single-thread build rate";
    const v = r.vesper;
    if (!v?.build || !hRate) add(goal, "not run", null);
    else if (!v.persistent || v.durability !== "commit") add(goal, "this build of the addon has no durability (collections live in memory): cannot be measured", null);
    else add(goal, `Vesper at its defaults (commit, efC 200, batches of 1 000 awaited one by one) ${rate(v)} vs hnswlib-node (efC 128) ${hRate.toFixed(0)} vectors/s`, v.build.rate / hRate >= 1.0);
  }
  {
    const goal = "Ingest with durability off ≥ 1.5 × hnswlib-node's single-thread build rate";
    const v = r["vesper-efc128"];
    if (!v?.build || !hRate) add(goal, "not run", null);
    else add(goal, `Vesper (durability ${v.persistent ? v.durability : "none: in memory"}, same M 16 / efC 128) ${rate(v)} vs hnswlib-node ${hRate.toFixed(0)} vectors/s`, v.build.rate / hRate >= 1.5);
  }
  {
    const goal = "Reopen after a crash (50k docs, checkpoint + WAL tail) ≤ 0.5 s";
    const o = r["vesper-reopen"];
    if (!o) add(goal, "this build of the addon has no persistence: cannot be measured", null);
    else if (o.error) add(goal, `reopen failed: ${o.error}`, false);
    else {
      const rec = o.recovery ?? {};
      add(goal, `${(o.openMs / 1e3).toFixed(3)} s to open ${o.count} docs after SIGKILL (checkpoint LSN ${rec.checkpointLsn}, ${rec.replayedBatches} WAL batches replayed${rec.truncated ? ", torn tail truncated" : ""})`, o.openMs <= 500 && o.count === o.docs);
    }
  }
  if (r.vesper?.rss && r.hnswlib?.rss) {
    const ratio = r.vesper.rss.deltaMB / r.hnswlib.rss.deltaMB;
    const stack = r.hnswlib.rss.stackMB ? ` (the hnswlib-node + minisearch stack: +${r.hnswlib.rss.stackMB.toFixed(0)} MB = ${x(r.vesper.rss.deltaMB / r.hnswlib.rss.stackMB)})` : "";
    const m = r.vesper.memoryBytes;
    const dense = m ? `; Vesper's dense part alone (vectors + HNSW, by its stats) ${((m.vectors + m.hnsw) / 2 ** 20).toFixed(0)} MB = ${x((m.vectors + m.hnsw) / 2 ** 20 / r.hnswlib.rss.deltaMB)}` : "";
    add(
      "RSS for 50k docs ≤ 1.2 × hnswlib-node's",
      `Δ RSS of the build: Vesper +${r.vesper.rss.deltaMB.toFixed(0)} MB (vectors, HNSW, BM25, metadata, texts) vs hnswlib-node +${r.hnswlib.rss.deltaMB.toFixed(0)} MB (vectors, HNSW only) = ${x(ratio)}${stack}${dense}`,
      ratio <= 1.2,
    );
  }
  if (r.vesper?.ping) {
    add("Async binding overhead (empty call through the pool) ≤ 20 µs", `ping p50 ${r.vesper.ping.p50.toFixed(1)} µs, p99 ${r.vesper.ping.p99.toFixed(1)} µs${r.vesper.poolFloor ? ` (Node's own libuv-pool round trip on this machine: p50 ${r.vesper.poolFloor.p50.toFixed(1)} µs)` : ""}`, r.vesper.ping.p50 <= 20);
  }
  if (r.vesper?.concurrency) {
    const one = r.vesper.concurrency.find((c) => c.concurrency === 1), eight = r.vesper.concurrency.find((c) => c.concurrency === 8);
    const s = eight.qps / one.qps;
    add(`Many concurrent searches scale to both cores (8 in flight ≥ ${SCALING_TARGET} × 1 in flight)`, `${one.qps.toFixed(0)} → ${eight.qps.toFixed(0)} searches/s = ${x(s)}`, s >= SCALING_TARGET);
  }
  return goals;
}
