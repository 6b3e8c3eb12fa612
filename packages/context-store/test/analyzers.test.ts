// BM25 analyzers of the store: English stemming for prose, identifier splitting for code, recorded with
// the store (a mismatch is an error that says how to proceed), older stores re-analysed once on open,
// and queries without words finding nothing in any mode.
import fs from "node:fs/promises";
import path from "node:path";
import { openCollection } from "@vltair/vesper-native";
import { describe, expect, it } from "vitest";
import { META_FILE, openContextStore } from "../src/index.js";
import { freshStore, tempDir } from "./helpers.js";

const ids = (hits: { doc: { key: string } }[]) => hits.map((h) => h.doc.key).sort();

describe("analyzers by document kind", () => {
  it("stems text documents and splits code identifiers", async () => {
    const store = await freshStore();
    await store.put({ kind: "text", key: "notes", content: "The parsers were running slowly" }, { scope: "global" });
    await store.put({ kind: "code", key: "src/parse.ts", content: "export function parseConfigFile(path) {}" }, { scope: "global" });
    expect(ids(await store.search("run", { scopes: ["global"], mode: "sparse" }))).toEqual(["notes"]);
    expect(ids(await store.search("parser", { scopes: ["global"], mode: "sparse" }))).toEqual(["notes"]);
    expect(ids(await store.search("config file", { scopes: ["global"], mode: "sparse" }))).toEqual(["src/parse.ts"]);
    expect(ids(await store.search("Café", { scopes: ["global"], mode: "sparse" }))).toEqual([]);
    await store.put({ kind: "text", key: "menu", content: "cafe au lait" }, { scope: "global" });
    expect(ids(await store.search("Café", { scopes: ["global"], mode: "sparse" }))).toEqual(["menu"]);
  });

  it("finds nothing for a query without words, in every mode", async () => {
    const store = await freshStore();
    await store.put({ kind: "text", key: "a", content: "some words here" }, { scope: "global" });
    for (const query of ["", "  ", "?!", "؟ ، ؛", "。…", "the of and"]) {
      for (const mode of ["dense", "sparse", "hybrid"] as const) {
        expect(await store.search(query, { scopes: ["global"], mode }), `${mode} ${JSON.stringify(query)}`).toEqual([]);
      }
    }
    expect(await store.search("words", { scopes: ["global"], mode: "dense" })).toHaveLength(1);
  });
});

describe("analyzers recorded with the store", () => {
  it("refuses other analyzers unless asked to reindex", async () => {
    const dir = await tempDir();
    const store = await openContextStore(dir, { durability: "none" });
    await store.put({ kind: "text", key: "n", content: "running" }, { scope: "global" });
    await store.close();
    await expect(openContextStore(dir, { analyzers: { text: "default" } })).rejects.toMatchObject({
      code: "AnalyzerMismatch",
      message: expect.stringMatching(/analyses text with text=english, code=code, but was opened with text=default, code=code;.*reindexText: true/),
    });
    const notices: string[] = [];
    const again = await openContextStore(dir, { durability: "none", analyzers: { text: "default" }, reindexText: true, onNotice: (m) => notices.push(m) });
    expect(notices).toEqual([expect.stringContaining("re-analysing its texts with text=default, code=code")]);
    expect(ids(await again.search("run", { scopes: ["global"], mode: "sparse" }))).toEqual([]);
    expect(ids(await again.search("running", { scopes: ["global"], mode: "sparse" }))).toEqual(["n"]);
    await again.close();
    expect(JSON.parse(await fs.readFile(path.join(dir, META_FILE), "utf8")).analyzers).toEqual({ text: "default", code: "code" });
  });

  it("re-analyses a store from before analyzers were recorded, once, with a message", async () => {
    const dir = await tempDir();
    const store = await openContextStore(dir, { durability: "none" });
    await store.put({ kind: "text", key: "n", content: "the parsers were running" }, { scope: "global" });
    await store.close();
    // What an older version left: the code analyzer for everything, nothing recorded in the metadata.
    const old = await openCollection(path.join(dir, "vesper"), { dim: 384, bm25: { analyzer: "code", reindex: true } });
    await old.close();
    const file = path.join(dir, META_FILE);
    const { analyzers: _dropped, ...meta } = JSON.parse(await fs.readFile(file, "utf8"));
    await fs.writeFile(file, JSON.stringify(meta));

    const notices: string[] = [];
    const reopened = await openContextStore(dir, { durability: "none", onNotice: (m) => notices.push(m) });
    expect(notices).toEqual([expect.stringContaining("built before its analyzers were recorded")]);
    expect(ids(await reopened.search("run", { scopes: ["global"], mode: "sparse" }))).toEqual(["n"]);
    await reopened.close();
    const quiet: string[] = [];
    const third = await openContextStore(dir, { durability: "none", onNotice: (m) => quiet.push(m) });
    expect(quiet).toEqual([]);
    expect((await third.collection.stats()).recovery.textReindexed).toBeUndefined();
    await third.close();
  });

  it("rejects unknown analyzer names", async () => {
    await expect(openContextStore(await tempDir(), { analyzers: { code: "klingon" as never } })).rejects.toMatchObject({ code: "InvalidOptions" });
  });
});
