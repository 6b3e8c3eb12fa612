// SQLite FTS5 through better-sqlite3: an in-memory database, `MATCH 'a OR b OR c' ORDER BY bm25(t)`.
import { createRequire } from "node:module";
import { Stopwatch, rssMB, timeQueries } from "../measure.mjs";

const Database = createRequire(import.meta.url)("better-sqlite3");

export async function run(w, ctx) {
  const { k, log } = ctx;
  const db = new Database(":memory:");
  const out = { system: "SQLite FTS5", docs: w.n, version: db.prepare("SELECT sqlite_version()").pluck().get() };
  const rssBefore = rssMB();
  log("building");
  db.exec("CREATE VIRTUAL TABLE t USING fts5(text)");
  const insert = db.prepare("INSERT INTO t(rowid, text) VALUES (?, ?)");
  const watch = new Stopwatch();
  watch.sync(() => {
    db.transaction(() => {
      for (let i = 0; i < w.n; i++) insert.run(i, w.texts[i]);
    })();
    db.exec("INSERT INTO t(t) VALUES ('optimize')"); // merge segments: the peer at its best
  });
  out.build = { ms: watch.ms, rate: w.n / (watch.ms / 1e3) };
  out.rss = { beforeMB: rssBefore, afterMB: rssMB() };
  out.rss.deltaMB = out.rss.afterMB - rssBefore;

  const search = db.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?").pluck();
  const match = (text) => text.split(" ").map((term) => `"${term}"`).join(" OR ");
  log("bm25");
  out.bm25 = await timeQueries(w.queries, w.warmupQueries, (q) => search.all(match(q.text), k), (ids) => ids);
  db.close();
  return out;
}
