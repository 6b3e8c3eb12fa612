import { describe, expect, it } from "vitest";
import { RecordCache } from "../src/record-cache.js";
import { freshStore } from "./helpers.js";

describe("RecordCache", () => {
  it("evicts the least recently used entry and ignores fills that raced a write", () => {
    const cache = new RecordCache<number>(2);
    cache.fill("a", 1, cache.generation);
    cache.fill("b", 2, cache.generation);
    expect(cache.get("a")).toBe(1); // a is now the most recent
    cache.fill("c", 3, cache.generation);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
    const before = cache.generation;
    cache.invalidate(["a"]);
    cache.fill("a", 99, before); // read started before the write: must not be cached
    expect(cache.get("a")).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
    const off = new RecordCache<number>(0);
    off.fill("a", 1, off.generation);
    expect(off.get("a")).toBeUndefined();
  });
});

describe("store read cache", () => {
  for (const cacheSize of [0, 4096]) {
    it(`stays coherent with writes, deletes and restores (cacheSize ${cacheSize})`, async () => {
      const store = await freshStore({ cacheSize, durability: "commit" });
      await store.put({ kind: "text", key: "k", content: "one", data: { n: 1 } }, { scope: "global" });
      const first = await store.get("k", { scope: "global" });
      expect(() => { first!.data!.n = 42; }).toThrow(TypeError); // shared records are frozen
      expect((await store.get("k", { scope: "global" }))?.data).toEqual({ n: 1 });
      await store.snapshot("one");
      await store.put({ kind: "text", key: "k", content: "two" }, { scope: "global" });
      expect((await store.search("two", { scopes: ["global"], mode: "sparse" }))[0]?.doc.content).toBe("two");
      expect((await store.get("k", { scope: "global" }))?.content).toBe("two");
      await store.restore("one");
      expect((await store.get("k", { scope: "global" }))?.content).toBe("one");
      await store.delete("k", { scope: "global" });
      expect(await store.get("k", { scope: "global" })).toBeUndefined();
    });
  }

  it("rejects a negative cache size", async () => {
    await expect(freshStore({ cacheSize: -1 })).rejects.toMatchObject({ code: "InvalidOptions" });
  });
});
