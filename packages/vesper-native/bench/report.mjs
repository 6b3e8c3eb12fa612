// docs/benchmarks.md (and the same tables on stdout) from one run's results.
import { RECALL_TARGET, SCALING_TARGET, atTarget, evaluateGoals } from "./goals.mjs";

/** Vesper's defaults (types.ts): exact dense search below these sizes. */
const VESPER_FLAT_THRESHOLD = 10000;
const VESPER_FLAT_FILTER_COUNT = 2000;

const ms = (us) => (us === undefined || us === null ? "—" : (us / 1e3).toFixed(3));
const rec = (r) => (r === undefined ? "—" : r.toFixed(3));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : "—");
const int = (v) => (v === undefined ? "—" : Math.round(v).toLocaleString("en-US"));

function table(headers, rows) {
  return [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

const byEf = (points, ef) => points?.find((p) => p.ef === ef);

function denseSection(r, docs) {
  const systems = [
    ["hnswlib", "hnswlib-node"],
    ["vesper-efc128", "Vesper M16/efC128"],
    ["vesper", "Vesper defaults"],
  ].filter(([id]) => r[id]?.dense);
  const efs = [...new Set(systems.flatMap(([id]) => r[id].dense.map((p) => p.ef)))].sort((a, b) => a - b);
  const headers = ["ef"];
  for (const [id, name] of systems) {
    headers.push(`${name} p50`, "p99", "recall@10");
    if (id !== "hnswlib" && r.hnswlib) headers.push("÷ hnswlib p50");
  }
  const rows = efs.map((ef) => {
    const row = [String(ef)];
    for (const [id] of systems) {
      const p = byEf(r[id].dense, ef);
      row.push(ms(p?.p50), ms(p?.p99), rec(p?.recall));
      if (id !== "hnswlib" && r.hnswlib) row.push(ratio(p?.p50, byEf(r.hnswlib.dense, ef)?.p50));
    }
    return row;
  });
  const at = atTarget(r).dense;
  const atRows = systems.map(([id, name]) => {
    const a = at[{ hnswlib: "hnswlib", "vesper-efc128": "vesperSame", vesper: "vesper" }[id]];
    return [name, a ? `${a.interpolated ? "≈" : ""}${a.ef.toFixed(0)}` : "not reached", ms(a?.p50), id === "hnswlib" ? "1.00×" : ratio(a?.p50, at.hnswlib?.p50)];
  });
  const flat = docs < VESPER_FLAT_THRESHOLD ? `\n\nBelow ${int(VESPER_FLAT_THRESHOLD)} docs (its default \`flatThreshold\`) Vesper searches exactly: recall 1, ef has no effect.` : "";
  return [
    `### Dense top-10 (${int(docs)} docs, cosine, latencies in ms)`,
    "",
    table(headers, rows) + flat,
    "",
    `At equal recall@10 = ${RECALL_TARGET} (p50 interpolated linearly between the two sweep points around it):`,
    "",
    table(["system", "ef", "p50 ms", "÷ hnswlib-node"], atRows),
  ].join("\n");
}

function filteredSection(r, docs) {
  if (!r.vesper?.filtered && !r.hnswlib?.filtered) return null;
  const efs = [...new Set([...(r.vesper?.filtered ?? []), ...(r.hnswlib?.filtered ?? [])].map((p) => p.ef))].sort((a, b) => a - b);
  const rows = efs.map((ef) => {
    const h = byEf(r.hnswlib?.filtered, ef), v = byEf(r.vesper?.filtered, ef);
    return [String(ef), ms(h?.p50), ms(h?.p99), rec(h?.recall), ms(v?.p50), ms(v?.p99), rec(v?.recall), ratio(v?.p50, h?.p50)];
  });
  const at = atTarget(r).filtered;
  return [
    `### Dense top-10 with a 10 % metadata filter (tag = value; ${int(docs)} docs, ms)`,
    "",
    table(["ef", "hnswlib-node + JS filter p50", "p99", "recall@10", "Vesper `filter` p50", "p99", "recall@10", "Vesper ÷ hnswlib p50"], rows),
    "",
    `At recall@10 = ${RECALL_TARGET}: hnswlib-node + JS filter ${ms(at.hnswlib?.p50)} ms, Vesper ${ms(at.vesper?.p50)} ms → ${ratio(at.vesper?.p50, at.hnswlib?.p50)}.` +
      (docs / 10 < VESPER_FLAT_FILTER_COUNT ? ` (A 10 % filter leaves fewer than ${int(VESPER_FLAT_FILTER_COUNT)} docs here, so Vesper searches it exactly.)` : " (Vesper traverses its HNSW graph with the filter's bitset: 10 % is above its exact-search cut-offs of 2 % / 2 000 docs.)"),
  ].join("\n");
}

function bm25Section(r, docs) {
  const systems = [["vesper", "Vesper `searchText`"], ["sqlite", "SQLite FTS5 (`bm25()`)"], ["minisearch", "minisearch (BM25+)"]].filter(([id]) => r[id]?.bm25);
  if (systems.length === 0) return null;
  const rows = systems.map(([id, name]) => {
    const b = r[id].bm25;
    return [name, ms(b.p50), ms(b.p99), rec(b.recall), id === "vesper" ? "—" : ratio(r.vesper?.bm25?.p50, b.p50)];
  });
  return [
    `### BM25 top-10, 3-term OR queries (${int(docs)} docs, ms)`,
    "",
    table(["system", "p50", "p99", "agreement@10 with exact BM25 (k1 1.2, b 0.75)", "Vesper ÷ this p50"], rows),
  ].join("\n");
}

function hybridSection(r, docs) {
  const systems = [["vesper", "Vesper `search` (RRF, rerankFactor 10)"], ["hnswlib", "hnswlib-node + minisearch + RRF in JS"]].filter(([id]) => r[id]?.hybrid);
  if (systems.length === 0) return null;
  const rows = systems.map(([id, name]) => {
    const h = r[id].hybrid;
    return [name, ms(h.p50), ms(h.p99), rec(h.recall), id === "vesper" ? "—" : ratio(r.vesper?.hybrid?.p50, h.p50)];
  });
  return [
    `### Hybrid top-10, RRF of text and vector, k × 10 candidates per side (${int(docs)} docs, ms)`,
    "",
    table(["system", "p50", "p99", "overlap@10 with exact RRF", "Vesper ÷ this p50"], rows),
  ].join("\n");
}

function buildSection(r, docs) {
  const systems = [
    ["hnswlib", "hnswlib-node (M 16, efC 128, addPoint, 1 thread)"],
    ["vesper-efc128", "Vesper (M 16, efC 128; upsert batches of 1 000)"],
    ["vesper", "Vesper (defaults: M 16, efC 200; upsert batches of 1 000)"],
    ["sqlite", "SQLite FTS5 (one transaction + optimize)"],
    ["minisearch", "minisearch (addAll)"],
  ].filter(([id]) => r[id]?.build);
  const h = r.hnswlib?.build.rate;
  const rows = systems.map(([id, label]) => {
    const { ms: t, rate } = r[id].build;
    const name = id.startsWith("vesper") ? label.replace(";", `, durability ${r[id].durability};`) : label;
    const vs = id.startsWith("vesper") ? ratio(rate, h) : "—";
    const mem = r[id].rss;
    return [name, int(rate), (t / 1e3).toFixed(1), vs, int(mem.afterMB), `+${int(mem.deltaMB)}`, id.startsWith("vesper") ? ratio(mem.deltaMB, r.hnswlib?.rss.deltaMB) : "—"];
  });
  const v = r.vesper?.memoryBytes;
  const breakdown = v
    ? `Vesper's own accounting (\`stats().memoryBytes\`, defaults): ${Object.entries(v).map(([k, b]) => `${k} ${(b / 2 ** 20).toFixed(1)} MB`).join(", ")}.`
    : "";
  const stack = r.hnswlib?.rss.stackMB ? ` hnswlib-node + minisearch together (the hybrid baseline's stack): +${int(r.hnswlib.rss.stackMB)} MB.` : "";
  const o = r["vesper-reopen"];
  const reopen = !o
    ? ""
    : o.error
      ? `\n\nReopen after a crash: failed — ${o.error}.`
      : `\n\nReopen after a crash: the Vesper process above was killed (SIGKILL) after its measurements, without closing; a new process opened the directory in ${(o.openMs / 1e3).toFixed(3)} s (${int(o.count)} docs; recovery report: ${JSON.stringify(o.recovery)}; page cache warm).`;
  return [
    `### Build rate and memory (${int(docs)} docs; each system in its own process)`,
    "",
    table(["system", "docs/s", "build s", "Vesper ÷ hnswlib rate", "RSS after build MB", "Δ RSS from build MB", "Vesper ÷ hnswlib Δ RSS"], rows),
    "",
    `Δ RSS = RSS after the build minus RSS before it (both after a full GC), i.e. the index alone; the workload itself is in both.${stack} ${breakdown}${reopen}`,
  ].join("\n");
}

function bindingSection(r) {
  const v = r.vesper;
  if (!v?.ping) return null;
  const c = v.concurrency ?? [];
  const one = c.find((x) => x.concurrency === 1);
  const hnsw100 = byEf(r.hnswlib?.dense, 100);
  const rows = c.map((x) => [`${x.concurrency} in flight`, int(x.qps), ratio(x.qps, one?.qps)]);
  if (hnsw100) rows.push(["hnswlib-node, sync (1 thread, from its ef 100 mean latency)", int(1e6 / hnsw100.mean), "—"]);
  return [
    "### Async binding",
    "",
    `Empty round trip through the addon's thread pool (\`ping()\`, 20 000 sequential awaited calls): p50 ${v.ping.p50.toFixed(1)} µs, p99 ${v.ping.p99.toFixed(1)} µs, mean ${v.ping.mean.toFixed(1)} µs.` +
      (v.poolFloor ? ` For reference, Node's own round trip through the same libuv pool (a 1-byte \`crypto.randomFill\`, same process, right after): p50 ${v.poolFloor.p50.toFixed(1)} µs, p99 ${v.poolFloor.p99.toFixed(1)} µs.` : ""),
    "",
    "Dense search throughput (efSearch default 100, 3 000 searches):",
    "",
    table(["Vesper searches", "searches/s", "× 1 in flight"], rows),
  ].join("\n");
}

function machineSection(d) {
  const m = d.machine;
  const load = (l) => l.map((x) => x.toFixed(2)).join(" / ");
  return [
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB.toFixed(0)} GB; ${m.platform}; Node ${m.node}; run on ${m.date.slice(0, 16).replace("T", " ")} UTC, ${m.minutes.toFixed(1)} min; collections in ${m.tmpFs ?? "?"} (the temp directory).`,
    `- Load average (1/5/15 min) before the run ${load(m.loadBefore)}, after it ${load(m.loadAfter)}: a shared, noisy VM — these are the numbers of **one run**; only the ratios between systems measured in this same run are meaningful, absolute times will differ from run to run.`,
  ].join("\n");
}

function workloadSection(d) {
  const w = d.runs[0].workload;
  return [
    `- ${int(w.docs)} documents${d.runs[1] ? ` (and ${int(d.runs[1].docs)} in the scale run)` : ""}: ${w.dim}-d float32 vectors, **clustered and low-rank** — ${w.centroids} centroids in a ${w.latent}-d latent space (spread ${w.spread}), mixed into ${w.dim} dims by a fixed random matrix, plus noise σ ${w.noise}, unit-normalised; texts of 15–25 words (~20) from a Zipf(s = ${w.zipf}) vocabulary of ${int(w.vocab)} synthetic words (30 % drawn from the cluster's own topic words); an integer \`tag\` (10 values) and a string \`lang\`. All from a seeded PRNG (seed ${w.seed}).`,
    `- ${int(w.queries)} single queries, k = ${d.config.k}, after 200 warm-up queries (different ones); query vectors are fresh draws from the same distribution (never copies of documents); text queries are 3 distinct terms (skipping the 20 most frequent words), OR semantics; the filter is \`tag = q mod 10\` (10 % of the docs).`,
    "- Ground truth by exact brute force in JS (Float32Array dot products over every doc): dense top-10, filtered top-10, exact BM25 (k1 1.2, b 0.75, IDF ln(1 + (N − df + 0.5)/(df + 0.5)); ties count as correct), and exact hybrid = RRF (k 60) of the exact dense top-100 and exact BM25 top-100.",
    "- Latency: one call at a time; Vesper's calls are async (its thread pool) and are awaited, so its latency includes the binding round trip; hnswlib-node, better-sqlite3 and minisearch are synchronous. Vesper returns ids and scores only (`includeMetadata: false`), like the peers. hnswlib-node needs `number[]` vectors: they are converted before timing. Build times count only the indexing calls.",
    "- Versions: hnswlib-node 3.0.0, better-sqlite3 12.11.1 (SQLite " + (d.runs[0].results.sqlite?.version ?? "?") + `), minisearch 7.2.0; Vesper from this repository's ${d.machine.vesperBinary ?? "prebuild"}.`,
  ].join("\n");
}

/** nDCG@10 on the hand-judged sets (bench/quality/), every system in the same run. */
export function qualitySection(q) {
  if (!q) return null;
  const langs = q.sets.map((s) => s.language);
  const best = Object.fromEntries(langs.map((l) => [l, Math.max(...q.systems.map((s) => s.byLanguage[l]))]));
  const rows = q.systems.map((s) => [s.name, ...langs.map((l) => (s.byLanguage[l] === best[l] ? `**${s.byLanguage[l].toFixed(3)}**` : s.byLanguage[l].toFixed(3)))]);
  return [
    "### Retrieval quality: nDCG@10 on hand-judged sets",
    "",
    `Sets: ${q.sets.map((s) => `${s.language} (${s.script}; ${s.docs} docs, ${s.queries} queries)`).join(", ")}. Written and judged by hand for this benchmark; method and limits in \`bench/quality/README.md\`. Queries are the OR of their words, top 10, each system at its defaults (best per set in bold).`,
    "",
    table(["system", ...langs], rows),
  ].join("\n");
}

function runSections(run) {
  const r = run.results;
  return [denseSection(r, run.docs), filteredSection(r, run.docs), bm25Section(r, run.docs), hybridSection(r, run.docs), buildSection(r, run.docs), run.scale ? null : bindingSection(r)]
    .filter(Boolean)
    .join("\n\n");
}

export function renderReport(d) {
  const [base, scale] = d.runs;
  const goals = evaluateGoals(base.results, d.quality);
  const met = goals.filter((g) => g.status === "met").length, missed = goals.filter((g) => g.status !== "met" && g.status !== "not measured").length;
  const markdown = [
    "# Vesper benchmarks",
    "",
    "Generated by `npm run bench` in `packages/vesper-native` (`bench/run.mjs`); do not edit by hand.",
    "",
    machineSection(d),
    "",
    "## Workload",
    "",
    workloadSection(d),
    "",
    `## Goals (TARGETS.md, ${int(base.docs)} docs): ${met} met, ${missed} not met, ${goals.length - met - missed} not measurable here`,
    "",
    table(["goal", "this run", "status"], goals.map((g) => [g.goal, g.measured, g.status])),
    "",
    `Scaling criterion: "${SCALING_TARGET} × on 2 cores" is this benchmark's reading of "scale to both cores".`,
    "",
    `## Results at ${int(base.docs)} docs`,
    "",
    runSections(base),
    ...(d.quality ? ["", qualitySection(d.quality)] : []),
    ...(base.results["vesper-durability"] ? ["", base.results["vesper-durability"].markdown.trimEnd()] : []),
    ...(scale ? ["", `## Scale run: ${int(scale.docs)} docs`, "", runSections(scale)] : []),
    "",
  ].join("\n");
  return { markdown, console: markdown };
}
