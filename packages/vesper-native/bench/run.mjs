#!/usr/bin/env node
// `npm run bench` (packages/vesper-native): Vesper against hnswlib-node, SQLite FTS5 and minisearch, in
// one run on this machine, each system in its own child process; writes docs/benchmarks.md.
//
// Environment: BENCH_DOCS (default 50000), BENCH_SCALE_DOCS (default 4 × BENCH_DOCS, 0 = skip the
// scale run), BENCH_SCALE_PEERS (default 1: hnswlib-node at the scale run too), BENCH_QUERIES (1000),
// BENCH_OUT (the report's path; default docs/benchmarks.md for the standard 50 000-doc run, else a
// file in the temp directory so a smoke run never overwrites the committed report), BENCH_SYSTEMS
// (comma-separated subset of vesper, vesper-efc128, vesper-durability, hnswlib, minisearch, sqlite,
// quality; default all).
// `node bench/run.mjs --report <results.json>` re-renders a report from a run's raw results.
import { fork, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchSection } from "../../../tools/bench-section.mjs";

if (process.argv[2] === "--child") {
  const { runChild } = await import("./child.mjs");
  await runChild(JSON.parse(process.argv[3]));
  process.exit(0);
}

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.dirname(benchDir);
const repoRoot = path.resolve(packageDir, "../..");

const { ensureDependencies } = await import("./deps.mjs");
const { generateWorkload } = await import("./workload.mjs");
const { denseTruth, ExactBm25 } = await import("./truth.mjs");
const { rrf } = await import("./rrf.mjs");
const { recall, tieAwareRecall } = await import("./stats.mjs");
const { renderReport } = await import("./report.mjs");

const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === "" ? fallback : Number(process.env[name]));
const DOCS = env("BENCH_DOCS", 50000);
const SCALE_DOCS = env("BENCH_SCALE_DOCS", 4 * DOCS);
const SCALE_PEERS = env("BENCH_SCALE_PEERS", 1) !== 0;
const QUERIES = env("BENCH_QUERIES", 1000);
const SYSTEMS = process.env.BENCH_SYSTEMS ? new Set(process.env.BENCH_SYSTEMS.split(",").map((x) => x.trim())) : null;
const outPath = (docs) => process.env.BENCH_OUT || (docs === 50000 ? path.join(repoRoot, "docs", "benchmarks.md") : path.join(os.tmpdir(), `vesper-benchmarks-${docs}.md`));

const K = 10;
const COMMON = { queries: QUERIES, k: K, efs: [16, 24, 32, 48, 64, 100, 128, 200], filterEfs: [16, 32, 64, 128], rerankFactor: 10, defaultEf: 100 };
const SAME_AS_HNSWLIB = { M: 16, efConstruction: 128, seed: 42 };

/** The child processes of one scale, in order. */
function plan(docs, scale) {
  const at = (id) => (scale ? `${id}@${docs}` : id);
  // Vesper at its defaults (durability `commit`); at the base scale its process is then killed without
  // closing, and a second process measures reopening that directory (checkpoint + WAL tail).
  const specs = [
    { id: at("vesper"), peer: "vesper", label: "Vesper (defaults: M 16, efC 200)", sections: ["dense", "filtered", "bm25", "hybrid", ...(scale ? [] : ["binding"])], crash: !scale },
  ];
  if (!scale) {
    specs.push({ id: "vesper-efc128", peer: "vesper", label: "Vesper (M 16, efC 128, durability none)", hnsw: SAME_AS_HNSWLIB, durability: { mode: "none" }, sections: ["dense"] });
    const durabilityDocs = Math.min(20000, docs), singles = Math.min(3000, docs);
    specs.push({ id: "vesper-durability", peer: "vesper-durability", label: "Vesper ingest by durability mode (bench/durability.mjs)", workload: false, durabilityDocs, singles });
  }
  // At scale hnswlib-node skips the filtered sweep: its JS callback makes it the slowest part of the run.
  if (!scale || SCALE_PEERS) specs.push({ id: at("hnswlib"), peer: "hnswlib", label: "hnswlib-node (M 16, efC 128)", sections: scale ? ["dense", "hybrid"] : ["dense", "filtered", "hybrid"] });
  if (!scale) {
    specs.push({ id: "minisearch", peer: "minisearch", label: "minisearch", sections: ["bm25"] });
    specs.push({ id: "sqlite", peer: "sqlite", label: "SQLite FTS5", sections: ["bm25"] });
  }
  return specs.filter((s) => !SYSTEMS || SYSTEMS.has(s.id.split("@")[0])).map((s) => ({ ...COMMON, ...s, docs }));
}

/** Runs one system in a forked `run.mjs --child` (with --expose-gc for clean RSS readings). */
function runInChild(spec) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child", JSON.stringify(spec)], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result;
    child.on("message", (m) => (result = m));
    child.on("error", reject);
    const ok = (code, signal) => result && (code === 0 || (spec.crash && signal === "SIGKILL"));
    child.on("exit", (code, signal) => (ok(code, signal) ? resolve(result) : reject(new Error(`bench child ${spec.id} failed (exit ${code ?? signal})`))));
  });
}

/** Exact answers for every query: dense, filtered, BM25 and the RRF of exact dense and exact BM25. */
async function groundTruth(w) {
  const dense = await denseTruth(w, { k: K, kDeep: K * COMMON.rerankFactor });
  const bm25 = new ExactBm25(w.texts);
  const sparse = w.queries.map((q) => bm25.top(q.text, K * COMMON.rerankFactor));
  return {
    dense: dense.map((t) => t.top),
    filtered: dense.map((t) => t.filtered),
    bm25: w.queries.map((q) => bm25.top(q.text, K)),
    hybrid: dense.map((t, q) => rrf([t.deep, sparse[q].ids], K)),
  };
}

/** Replaces result ids by recall against the truth. */
function score(result, truth) {
  const withRecall = ({ ids, ...rest }, truths, fn = recall) => ({ ...rest, recall: fn(ids, truths) });
  if (result.dense) result.dense = result.dense.map((p) => withRecall(p, truth.dense));
  if (result.filtered) result.filtered = result.filtered.map((p) => withRecall(p, truth.filtered));
  if (result.bm25) result.bm25 = withRecall(result.bm25, truth.bm25, tieAwareRecall);
  if (result.hybrid) result.hybrid = withRecall(result.hybrid, truth.hybrid);
  return result;
}

/** Which addon binary this run measured (the engine changes often: name it in the report). */
function vesperBinary() {
  const dir = path.join(packageDir, "prebuilds", `${process.platform}-${process.arch}`);
  const file = process.env.VLTAIR_VESPER_BINARY || (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".node")).map((f) => path.join(dir, f))[0] : undefined);
  if (!file || !existsSync(file)) return undefined;
  const sha = createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 12);
  return `${path.relative(packageDir, file)} (sha256 ${sha}…, built ${statSync(file).mtime.toISOString().slice(0, 16).replace("T", " ")} UTC)`;
}

function vesperAvailable() {
  const prebuilds = path.join(packageDir, "prebuilds", `${process.platform}-${process.arch}`);
  const hasBinary = process.env.VLTAIR_VESPER_BINARY || (existsSync(prebuilds) && readdirSync(prebuilds).some((f) => f.endsWith(".node")));
  return hasBinary && existsSync(path.join(packageDir, "dist", "index.js"));
}

function writeReport(data, raw) {
  const { markdown, console: text } = renderReport(data);
  const out = outPath(data.config.docs);
  // The report is one section of docs/benchmarks.md (the other packages own the others): headings one level down.
  writeBenchSection("vesper", markdown.replace(/^(#+) /gm, "#$1 "), out);
  console.log(text);
  console.error(`bench: wrote ${out} (raw results: ${raw})`);
}

async function main() {
  if (process.argv[2] === "--report") {
    return writeReport(JSON.parse(readFileSync(process.argv[3], "utf8")), process.argv[3]);
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const loadBefore = os.loadavg();
  ensureDependencies();
  const needsVesper = [DOCS, SCALE_DOCS].some((n) => n > 0 && plan(n, n !== DOCS).some((s) => s.peer === "vesper"));
  if (needsVesper && !vesperAvailable()) {
    throw new Error("bench: the Vesper addon is not built (need prebuilds/<platform>-<arch>/*.node and dist/index.js): run `npx nx run @vltair/vesper-native:build` first");
  }
  const vesperBinaryAtStart = vesperBinary();
  const scales = [{ docs: DOCS, scale: false }, ...(SCALE_DOCS > 0 ? [{ docs: SCALE_DOCS, scale: true }] : [])];
  const runs = [];
  for (const { docs, scale } of scales) {
    console.error(`bench: ${docs} docs — generating the workload and the exact ground truth…`);
    const t = performance.now();
    const w = generateWorkload({ docs, queries: QUERIES });
    const truth = await groundTruth(w);
    console.error(`bench: ground truth in ${((performance.now() - t) / 1e3).toFixed(0)} s`);
    const results = {};
    for (const spec of plan(docs, scale)) {
      console.error(`bench: ${spec.label}, ${docs} docs`);
      if (spec.crash) spec.dir = mkdtempSync(path.join(os.tmpdir(), "vesper-bench-crash-"));
      try {
        const result = score(await runInChild(spec), truth);
        results[spec.id.split("@")[0]] = result;
        if (spec.crash && result.persistent) {
          console.error(`bench: Vesper reopening its ${docs} docs after the crash`);
          const reopen = { id: "vesper-reopen", peer: "vesper-reopen", label: "Vesper reopen after a crash", workload: false, dir: spec.dir, docs, dim: w.dim };
          results["vesper-reopen"] = await runInChild(reopen);
        }
      } finally {
        if (spec.dir) rmSync(spec.dir, { recursive: true, force: true });
      }
    }
    runs.push({ docs, scale, workload: w.description, results });
  }
  let quality;
  if (!SYSTEMS || SYSTEMS.has("quality")) {
    console.error("bench: retrieval quality on the hand-judged sets (bench/quality/)");
    const { runQuality } = await import("./quality.mjs");
    quality = await runQuality();
  }
  const data = {
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.availableParallelism?.() ?? os.cpus().length,
      memoryGB: os.totalmem() / 2 ** 30,
      node: process.version,
      platform: `${os.type()} ${os.release()} ${process.arch}`,
      date: startedAt.toISOString(),
      vesperBinary: vesperBinaryAtStart,
      tmpFs: spawnSync("df", ["--output=fstype", os.tmpdir()], { encoding: "utf8" }).stdout?.split("\n")[1]?.trim() || "unknown",
      loadBefore,
      loadAfter: os.loadavg(),
      minutes: (performance.now() - t0) / 6e4,
    },
    config: { ...COMMON, docs: DOCS, scaleDocs: SCALE_DOCS, scalePeers: SCALE_PEERS },
    runs,
    quality,
  };
  const raw = path.join(os.tmpdir(), `vesper-bench-results-${DOCS}.json`);
  writeFileSync(raw, JSON.stringify(data, null, 1));
  writeReport(data, raw);
  console.error(`bench: done in ${data.machine.minutes.toFixed(1)} min`);
}

await main();
