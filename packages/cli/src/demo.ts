import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { HashingEmbedder } from "@vltair/context-store";
import { openCollection, type SearchHit } from "@vltair/vesper-native";
import { chunkFile } from "./chunk.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Repository to index. */
  repo: string;
  /** Where the demo collection lives. */
  dataDir: string;
  /** Questions asked after indexing. */
  queries?: readonly string[];
}

/** What the demo did: what it indexed and what each query found. */
export interface DemoReport {
  repo: string;
  files: number;
  chunks: number;
  queries: { text: string; filter?: string; hits: Pick<SearchHit, "key" | "score" | "denseRank" | "sparseRank">[] }[];
}

const LANGUAGES: Record<string, string> = { ".ts": "ts", ".js": "js", ".md": "markdown", ".json": "json" };
const SKIP = new Set(["node_modules", ".git", "dist", ".vltair"]);

async function listFiles(root: string, dir = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // stable order → same ids every run
  const files: string[] = [];
  for (const e of entries) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory() && !SKIP.has(e.name)) files.push(...(await listFiles(root, rel)));
    else if (e.isFile() && LANGUAGES[path.extname(e.name)]) files.push(rel);
  }
  return files;
}

/**
 * Indexes a repository into an embedded Vesper collection (BM25 with the code analyzer plus offline
 * hashing embeddings) and answers a few questions with hybrid search.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const embedder = new HashingEmbedder();
  const collection = await openCollection(options.dataDir, { dim: embedder.dim, bm25: { analyzer: "code" } });
  try {
    const files = await listFiles(options.repo);
    let chunks = 0;
    for (const file of files) {
      const content = await readFile(path.join(options.repo, file), "utf8");
      const pieces = chunkFile(file, content);
      const vectors = await embedder.embed(pieces.map((c) => c.text));
      await collection.upsert(
        pieces.map((c, i) => ({
          key: c.key,
          text: c.text,
          vector: vectors[i],
          metadata: { path: c.path, lang: LANGUAGES[path.extname(file)]!, startLine: c.startLine },
        })),
      );
      chunks += pieces.length;
    }
    const queries = options.queries ?? ["parse configuration file", "limit requests per second", "shorten text with an ellipsis"];
    const report: DemoReport = { repo: options.repo, files: files.length, chunks, queries: [] };
    for (const text of queries) {
      const hits = await collection.search({ text, vector: embedder.embedOne(text), filter: "lang=ts" }, { k: 3 });
      report.queries.push({
        text,
        filter: "lang=ts",
        hits: hits.map((h) => ({ key: h.key, score: h.score, denseRank: h.denseRank, sparseRank: h.sparseRank })),
      });
    }
    return report;
  } finally {
    await collection.close();
  }
}
