// Retrieval quality: nDCG@10 of Vesper, SQLite FTS5 and minisearch on the hand-judged sets in
// bench/quality/ (method: bench/quality/README.md). Every system indexes the same documents and runs
// the same queries as OR of their words, in one process, in the same run.
//
// `node bench/quality.mjs` prints the table alone (needs the built addon and the bench peers).
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const K = 10;

/** The judged sets: { language, script, docs: [{id, text}], queries: [{id, text, judgements: {doc: grade}}] }. */
export function loadSets() {
  const dir = path.join(here, "quality");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
}

/** nDCG@k with gains 2^grade − 1 and log2(rank + 1) discounts; unjudged documents have grade 0. */
export function ndcg(ranked, judgements, k = K) {
  const dcg = (grades) => grades.slice(0, k).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(Object.values(judgements).sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((id) => judgements[id] ?? 0)) / ideal;
}

async function vesperSystem(analyzer) {
  const { openCollection } = await import("../dist/index.js");
  const { mkdtempSync, rmSync } = await import("node:fs");
  const os = await import("node:os");
  return {
    name: `Vesper (${analyzer} analyzer)`,
    async build(docs) {
      const dir = mkdtempSync(path.join(os.tmpdir(), "vesper-quality-"));
      const col = await openCollection(dir, { dim: 1, bm25: { analyzer }, durability: { mode: "none" } });
      await col.upsert(docs.map((d) => ({ key: d.id, text: d.text })));
      return {
        search: async (q) => (await col.searchText(q, { k: K, includeMetadata: false })).map((h) => h.key),
        close: async () => {
          await col.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function fts5System(tokenizer) {
  const Database = createRequire(import.meta.url)("better-sqlite3");
  return {
    name: `SQLite FTS5 (${tokenizer})`,
    async build(docs) {
      const db = new Database(":memory:");
      db.exec(`CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, text, tokenize = '${tokenizer}')`);
      const insert = db.prepare("INSERT INTO t(id, text) VALUES (?, ?)");
      for (const d of docs) insert.run(d.id, d.text);
      const search = db.prepare("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?").pluck();
      // OR of the query's words, each quoted (FTS5 then tokenizes inside the quotes).
      const match = (q) => q.split(/[\s\p{P}]+/u).filter(Boolean).map((w) => `"${w.replaceAll('"', '""')}"`).join(" OR ");
      return { search: async (q) => (match(q) ? search.all(match(q), K) : []), close: async () => db.close() };
    },
  };
}

async function miniSearchSystem() {
  const { default: MiniSearch } = await import("minisearch");
  return {
    name: "minisearch (default tokenizer)",
    async build(docs) {
      const mini = new MiniSearch({ fields: ["text"] });
      mini.addAll(docs);
      return { search: async (q) => mini.search(q, { combineWith: "OR" }).slice(0, K).map((h) => h.id), close: async () => {} };
    },
  };
}

/** { sets: [{ language, script, docs, queries }], systems: [{ name, byLanguage: { [language]: nDCG } }] } */
export async function runQuality() {
  const sets = loadSets();
  const systems = [
    await vesperSystem("default"),
    await vesperSystem("english"),
    fts5System("unicode61"),
    fts5System("porter unicode61"),
    await miniSearchSystem(),
  ];
  const out = { sets: sets.map((s) => ({ language: s.language, script: s.script, docs: s.docs.length, queries: s.queries.length })), systems: [] };
  for (const system of systems) {
    const byLanguage = {};
    for (const set of sets) {
      const index = await system.build(set.docs);
      let sum = 0;
      for (const q of set.queries) sum += ndcg(await index.search(q.text), q.judgements);
      await index.close();
      byLanguage[set.language] = sum / set.queries.length;
    }
    out.systems.push({ name: system.name, byLanguage });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ensureDependencies } = await import("./deps.mjs");
  ensureDependencies();
  const q = await runQuality();
  const langs = q.sets.map((s) => s.language);
  console.log(["system", ...langs].join("\t"));
  for (const s of q.systems) console.log([s.name, ...langs.map((l) => s.byLanguage[l].toFixed(3))].join("\t"));
}
