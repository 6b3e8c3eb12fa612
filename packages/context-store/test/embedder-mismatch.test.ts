import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HashingEmbedder, META_FILE, openContextStore, type Embedder } from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("embedder bookkeeping", () => {
  it("records the embedder and refuses to open with another name, version or dim", async () => {
    const dir = await tempDir();
    const store = await openContextStore(dir, { durability: "none" });
    await store.put({ kind: "text", key: "k", content: "kept" }, { scope: "global" });
    await store.close();
    const meta = JSON.parse(await fs.readFile(path.join(dir, META_FILE), "utf8"));
    expect(meta).toEqual({ format: "vltair-context-store", schemaVersion: 1, embedder: { name: "hashing", version: "1", dim: 384 }, analyzers: { text: "english", code: "code" } });

    await expect(openContextStore(dir, { embedder: new HashingEmbedder({ dim: 256 }) })).rejects.toMatchObject({
      code: "EmbedderMismatch",
      message: expect.stringMatching(/built with embedder hashing@1 \(dim 384\), but was opened with hashing@1 \(dim 256\)/),
    });
    const other: Embedder = { name: "openai:text-embedding-3-small", version: "1", dim: 384, embed: async (t) => t.map(() => new Float32Array(384)) };
    await expect(openContextStore(dir, { embedder: other })).rejects.toMatchObject({ code: "EmbedderMismatch", message: expect.stringContaining("openai:text-embedding-3-small@1") });

    // The refused opens lost nothing.
    const again = await openContextStore(dir, { durability: "none" });
    expect((await again.get("k", { scope: "global" }))?.content).toBe("kept");
    await again.close();
  });

  it("reports a corrupt metadata file instead of overwriting it", async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, META_FILE), "{ not json");
    await expect(openContextStore(dir)).rejects.toMatchObject({ code: "Corrupt", message: expect.stringContaining(META_FILE) });
    await fs.writeFile(path.join(dir, META_FILE), JSON.stringify({ format: "other" }));
    await expect(openContextStore(dir)).rejects.toMatchObject({ code: "Corrupt" });
    await fs.writeFile(path.join(dir, META_FILE), JSON.stringify({ format: "vltair-context-store", schemaVersion: 99, embedder: { name: "hashing", version: "1", dim: 384 } }));
    await expect(openContextStore(dir)).rejects.toMatchObject({ code: "Corrupt", message: expect.stringContaining("schema version 99") });
  });

  it("rejects an embedder that returns wrong vectors, writing nothing", async () => {
    const dir = await tempDir();
    const bad: Embedder = { name: "bad", version: "1", dim: 8, embed: async (t) => t.map(() => new Float32Array(4)) };
    const store = await openContextStore(dir, { embedder: bad, durability: "none" });
    await expect(store.put({ kind: "text", key: "k", content: "x" }, { scope: "global" })).rejects.toMatchObject({ code: "EmbedderFailure", message: expect.stringContaining("dim 4") });
    expect(await store.get("k", { scope: "global" })).toBeUndefined();
    await store.close();
    const throwing: Embedder = { name: "bad", version: "1", dim: 8, embed: async () => { throw new Error("model offline"); } };
    const s2 = await openContextStore(dir, { embedder: throwing, durability: "none" });
    await expect(s2.search("x", { scopes: ["global"] })).rejects.toMatchObject({ code: "EmbedderFailure", message: expect.stringContaining("model offline") });
    await s2.close();
    const short: Embedder = { name: "bad", version: "1", dim: 8, embed: async () => [] };
    const s3 = await openContextStore(dir, { embedder: short, durability: "none" });
    await expect(s3.search("x", { scopes: ["global"] })).rejects.toMatchObject({ code: "EmbedderFailure", message: expect.stringContaining("0 vectors for 1 texts") });
    await s3.close();
  });
});
