import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { IngestProgress } from "../src/index.js";
import { freshStore, tempDir } from "./helpers.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(packageDir, "..", "..");

describe("ingest", () => {
  it("indexes this repository honouring .gitignore, chunking TypeScript by declaration", async () => {
    const store = await freshStore();
    const phases = new Set<string>();
    let last: IngestProgress | undefined;
    const report = await store.ingest(repoRoot, { onProgress: (p) => { phases.add(p.phase); last = p; } });
    expect(report.filesScanned).toBeGreaterThan(50);
    expect(report.filesIndexed).toBeGreaterThan(50);
    expect(report.chunks).toBeGreaterThan(report.filesIndexed);
    expect([...phases]).toEqual(["scan", "index", "done"]);
    expect(last).toMatchObject({ phase: "done", filesDone: report.filesScanned, filesTotal: report.filesScanned });

    // parseScope in this package's src/scope.ts, with its real line range.
    const source = await fs.readFile(path.join(packageDir, "src", "scope.ts"), "utf8");
    const lines = source.split("\n");
    const hits = await store.search("parseScope session task global", { scopes: ["global"], k: 5, filters: { path: "packages/context-store/src/scope.ts", symbol: "parseScope" } });
    expect(hits).toHaveLength(1);
    const doc = hits[0]!.doc;
    expect(doc).toMatchObject({ kind: "code", language: "typescript", symbol: "parseScope", path: "packages/context-store/src/scope.ts" });
    expect(lines[doc.startLine! - 1]).toMatch(/^\/\*\*/); // the doc comment belongs to the chunk
    expect(lines[doc.endLine! - 1]).toBe("}");
    expect(lines.slice(doc.startLine! - 1, doc.endLine).join("\n")).toBe(doc.content);

    // Ignored directories are never indexed.
    for (const ignored of ["node_modules/", "packages/context-store/dist/", ".git/"]) {
      const found = await store.search("export function", { scopes: ["global"], k: 5, filters: { path: { $prefix: ignored } } });
      expect(found, ignored).toEqual([]);
    }
  }, 120_000);

  it("re-ingests incrementally: unchanged files skipped, a changed file re-chunked, a deleted file removed", async () => {
    const repo = await tempDir("repo-");
    await fs.cp(path.join(packageDir, "src"), path.join(repo, "src"), { recursive: true });
    await fs.writeFile(path.join(repo, ".gitignore"), "build/\n*.log\n");
    await fs.mkdir(path.join(repo, "build"));
    await fs.writeFile(path.join(repo, "build", "out.js"), "export const built = 1;\n");
    await fs.writeFile(path.join(repo, "debug.log"), "noise\n");
    await fs.writeFile(path.join(repo, "notes.md"), "# Notes\n\nThe zebra protocol.\n\nSecond block.\n");
    await fs.writeFile(path.join(repo, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    await fs.writeFile(path.join(repo, "big.txt"), "x".repeat(1024 * 1024 + 1));
    const store = await freshStore();
    const first = await store.ingest(repo, { batchSize: 8 });
    const total = first.filesScanned;
    expect(first.skipped).toEqual([{ path: "big.txt", reason: "too-large", bytes: 1024 * 1024 + 1 }, { path: "image.png", reason: "binary", bytes: 8 }]);
    expect(first.filesIndexed).toBe(total - 2);
    expect(await store.search("built", { scopes: ["global"], filters: { path: "build/out.js" } })).toEqual([]);

    const again = await store.ingest(repo);
    expect(again).toMatchObject({ filesScanned: total, filesIndexed: 0, filesSkipped: total, filesRemoved: 0, chunks: 0 });

    // Touch one file (a new function), delete another.
    await fs.appendFile(path.join(repo, "src", "scope.ts"), "\nexport function quokkaScope(): string {\n  return 'quokka';\n}\n");
    await fs.rm(path.join(repo, "notes.md"));
    const events: IngestProgress[] = [];
    const third = await store.ingest(repo, { onProgress: (p) => events.push(p) });
    expect(third).toMatchObject({ filesScanned: total - 1, filesIndexed: 1, filesRemoved: 1 });
    expect(third.chunks).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.phase === "remove")).toEqual([{ phase: "remove", filesDone: 1, filesTotal: 1, path: "notes.md" }]);
    const quokka = await store.search("quokka", { scopes: ["global"], k: 3, mode: "sparse" });
    expect(quokka[0]?.doc).toMatchObject({ symbol: "quokkaScope", path: "src/scope.ts" });
    expect(await store.search("zebra protocol", { scopes: ["global"], k: 3, mode: "sparse" })).toEqual([]);
    // Each chunk of scope.ts exists once (old chunks were replaced, not duplicated).
    const chunks = await store.search("scope", { scopes: ["global"], k: 100, mode: "sparse", filters: { path: "src/scope.ts" } });
    const keys = chunks.map((h) => h.doc.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.includes("#parseScope@")).length).toBe(1);
  });

  it("ingests into a session scope that dropScope then clears, and rejects a missing directory", async () => {
    const repo = await tempDir("repo-");
    await fs.writeFile(path.join(repo, "a.md"), "alpha beta\n");
    const store = await freshStore();
    expect((await store.ingest(repo, { scope: "session:s1" })).chunks).toBe(1);
    expect(await store.search("alpha", { scopes: ["global"] })).toEqual([]);
    expect((await store.search("alpha", { scopes: ["session:s1"] })).length).toBe(1);
    expect(await store.dropScope("session:s1")).toEqual({ scope: "session:s1", documents: 1 });
    // Dropped with its manifest: ingesting again indexes the file again.
    expect((await store.ingest(repo, { scope: "session:s1" })).filesIndexed).toBe(1);
    await expect(store.ingest(path.join(repo, "nope"))).rejects.toMatchObject({ code: "IngestFailure" });
    await expect(store.ingest(repo, { batchSize: 0 })).rejects.toMatchObject({ code: "InvalidOptions" });
    await expect(store.ingest(repo, { maxFileBytes: -1 })).rejects.toMatchObject({ code: "InvalidOptions" });
  });
});
