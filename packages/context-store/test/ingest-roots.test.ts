import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freshStore, tempTree } from "./helpers.js";

const repo = (files: Record<string, string>) => tempTree(files, "repo-");

const sparse = { scopes: ["global"], k: 10, mode: "sparse" as const };

describe("ingesting several repositories into one scope", () => {
  it("keeps each root's documents: two repositories ingested one after the other are both searchable", async () => {
    // Same relative paths in both: keys carry the root, so nothing collides.
    const a = await repo({ "README.md": "alpha aardvark\n", "src/x.ts": "export function aardvarkOnly() { return 1; }\n" });
    const b = await repo({ "README.md": "beta badger\n", "src/x.ts": "export function badgerOnly() { return 2; }\n" });
    const store = await freshStore();
    const first = await store.ingest(a);
    expect(first).toMatchObject({ filesIndexed: 2, root: a, replacedRoots: [] });
    const second = await store.ingest(b);
    expect(second).toMatchObject({ filesIndexed: 2, filesRemoved: 0, root: b });

    const aardvark = await store.search("aardvark", sparse);
    const badger = await store.search("badger", sparse);
    expect(aardvark.map((h) => h.doc.metadata?.root)).toEqual([a, a]);
    expect(badger.map((h) => h.doc.metadata?.root)).toEqual([b, b]);
    expect(badger.find((h) => h.doc.symbol === "badgerOnly")?.doc).toMatchObject({ path: "src/x.ts", key: `${b}/src/x.ts#badgerOnly@1` });
    // A filter on the root narrows a search to one repository.
    expect((await store.search("README", { ...sparse, filters: { root: a } })).every((h) => h.doc.metadata?.root === a)).toBe(true);

    // Re-ingesting the first root is incremental and leaves the second alone.
    await fs.writeFile(path.join(a, "README.md"), "alpha aardvark anteater\n");
    expect(await store.ingest(a)).toMatchObject({ filesIndexed: 1, filesRemoved: 0, filesSkipped: 1 });
    expect((await store.search("badger", sparse)).length).toBe(2);
    expect((await store.search("anteater", sparse)).length).toBe(1);
  });

  it("replaces the other roots only when asked, and dropScope removes every root's records", async () => {
    const a = await repo({ "a.md": "alpha aardvark\n" });
    const b = await repo({ "b.md": "beta badger\n" });
    const store = await freshStore();
    await store.ingest(a, { scope: "session:s" });
    await store.ingest(b, { scope: "session:s" });
    const replaced = await store.ingest(b, { scope: "session:s", replace: true });
    expect(replaced).toMatchObject({ filesIndexed: 0, filesRemoved: 1, replacedRoots: [a] });
    expect(await store.search("aardvark", { ...sparse, scopes: ["session:s"] })).toEqual([]);
    expect((await store.search("badger", { ...sparse, scopes: ["session:s"] })).length).toBe(1);
    // The replaced root is forgotten: ingesting it again indexes it from scratch.
    expect(await store.ingest(a, { scope: "session:s" })).toMatchObject({ filesIndexed: 1 });

    expect(await store.dropScope("session:s")).toEqual({ scope: "session:s", documents: 2 });
    // Manifests went with the scope: both roots are indexed again from scratch.
    expect((await store.ingest(a, { scope: "session:s" })).filesIndexed).toBe(1);
    expect((await store.ingest(b, { scope: "session:s" })).filesIndexed).toBe(1);
  });

  it("removes the documents of a scope ingested before roots were kept apart", async () => {
    const a = await repo({ "a.md": "alpha aardvark\n" });
    const store = await freshStore();
    // The layout an older version wrote: keys without the root, one manifest per scope.
    await store.put({ kind: "text", key: "a.md#@1", content: "alpha aardvark", path: "a.md" }, { scope: "global" });
    await store.collection.upsert([{ key: "ingest|global", payload: { files: { "a.md": { hash: "old", chunks: [["text", "a.md#@1"]] } } } }]);
    const report = await store.ingest(a);
    expect(report).toMatchObject({ filesIndexed: 1, filesRemoved: 1 });
    expect(await store.get("a.md#@1", { scope: "global" })).toBeUndefined();
    expect((await store.search("aardvark", sparse)).map((h) => h.doc.key)).toEqual([`${a}/a.md#@1`]);
    expect(await store.collection.get("ingest|global")).toBeUndefined();
  });
});
