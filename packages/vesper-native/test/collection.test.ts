import { afterEach, describe, expect, it } from "vitest";
import { type Collection, ErrorCode, openCollection, VesperError } from "../src/index.js";
import { clusteredVectors, dot, normalized, tempDir } from "./helpers.js";

const open: Collection[] = [];
async function collection(options: Parameters<typeof openCollection>[1]): Promise<Collection> {
  const c = await openCollection(tempDir(), options);
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** Resolves to the VesperError a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<VesperError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VesperError);
    return e as VesperError;
  }
  throw new Error("expected a rejection");
}

describe("documents", () => {
  it("upserts, gets, replaces and removes by id and key", async () => {
    const c = await collection({ dim: 3 });
    await c.upsert([
      { id: 1, vector: [1, 0, 0], text: "alpha beta", metadata: { lang: "ts", size: 3, ok: true, tags: ["a", "b"] } },
      { key: "doc-b", vector: new Float32Array([0, 1, 0]), payload: { nested: [1, "x"] } },
      { id: 2n ** 60n, key: "big", payload: new Uint8Array([1, 2, 3]) },
    ]);
    expect(await c.count()).toBe(3);

    const one = await c.get(1);
    expect(one?.id).toBe(1);
    expect(Array.from(one!.vector!)).toEqual([1, 0, 0]);
    expect(one?.text).toBe("alpha beta");
    expect(one?.metadata).toEqual({ lang: "ts", size: 3, ok: true, tags: ["a", "b"] });

    expect((await c.get("doc-b"))?.payload).toEqual({ nested: [1, "x"] });
    const big = await c.get(2n ** 60n);
    expect(big?.id).toBe(2n ** 60n);
    expect(Array.from(big!.payload as Uint8Array)).toEqual([1, 2, 3]);
    expect(await c.get("big")).toEqual(big);

    await c.upsert([{ id: 1, text: "gamma" }]); // replaces the whole document
    const replaced = await c.get(1);
    expect(replaced?.vector).toBeUndefined();
    expect(replaced?.metadata).toEqual({});
    expect(await c.count()).toBe(3);

    expect(await c.remove([1, "doc-b", 999])).toBe(2);
    expect(await c.get(1)).toBeUndefined();
    expect(await c.count()).toBe(1);
    const stats = await c.stats();
    expect(stats).toMatchObject({ count: 1, dim: 3, metric: "cosine", tombstones: 3 });
  });

  it("normalises cosine vectors on ingest", async () => {
    const c = await collection({ dim: 2 });
    await c.upsert([{ id: 1, vector: [3, 4] }]);
    const v = (await c.get(1))!.vector!;
    expect(v[0]).toBeCloseTo(0.6, 6);
    expect(v[1]).toBeCloseTo(0.8, 6);
  });
});

describe("bad input is rejected clearly and loses nothing", () => {
  it("rejects a whole batch with a bad document", async () => {
    const c = await collection({ dim: 3 });
    await c.upsert([{ id: 1, vector: [1, 0, 0], text: "kept" }]);
    const cases: [Parameters<Collection["upsert"]>[0], RegExp, string][] = [
      [[{ id: 2, vector: [1, 0] }], /documents\[0\]\.vector: expected 3 dimensions, got 2/, "vector"],
      [[{ id: 2, vector: [1, 0, 0] }, { id: 3, vector: [1, Number.NaN, 0] }], /documents\[1\]\.vector\[1\] is NaN/, "vector"],
      [[{ id: 2, vector: [Number.POSITIVE_INFINITY, 0, 0] }], /vector\[0\] is infinite/, "vector"],
      [[{ id: 2, vector: [0, 0, 0] }], /zero vector/, "vector"],
      [[{ id: 2, metadata: { bad: null as never } }], /documents\[0\]\.metadata\.bad: unsupported value type null/, "metadata"],
      [[{ id: 2, metadata: { bad: { x: 1 } as never } }], /metadata\.bad: unsupported value type object/, "metadata"],
      [[{ id: 2, metadata: { tags: ["a", 1] as never } }], /metadata\.tags\[1\]: tags must be strings/, "metadata"],
      [[{ text: "no identity" }], /documents\[0\]: a document needs an id or a key/, "collection"],
      [[{ id: -1 }], /documents\[0\]\.id: ids must be integers/, "binding"],
      [[{ id: 1.5 }], /ids must be integers/, "binding"],
      [[{ id: 2n ** 64n }], /bigint ids must be within/, "binding"],
    ];
    for (const [docs, message, component] of cases) {
      const e = await rejection(c.upsert(docs));
      expect(e.message).toMatch(message);
      expect(e.codeName).toBe("INVALID_ARGUMENT");
      expect(e.code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(e.component).toBe(component);
    }
    expect(await c.count()).toBe(1);
    expect((await c.get(1))?.text).toBe("kept");
    expect(await c.get(2)).toBeUndefined();
  });

  it("rejects an id/key conflict as CONFLICT without applying the batch", async () => {
    const c = await collection({ dim: 2 });
    await c.upsert([{ id: 1, key: "a" }, { id: 2, key: "b" }]);
    const e = await rejection(c.upsert([{ id: 5, text: "new" }, { id: 1, key: "b" }]));
    expect(e.codeName).toBe("CONFLICT");
    expect(e.message).toMatch(/documents\[1\]: key 'b' already belongs/);
    expect(await c.get(5)).toBeUndefined();
  });

  it("rejects bad options, bad queries and use after close", async () => {
    expect((await rejection(openCollection(tempDir(), {} as never))).message).toMatch(/options\.dim: is required/);
    expect((await rejection(openCollection(tempDir(), { dim: 4, metric: "hamming" as never }))).message).toMatch(/hamming/);
    expect((await rejection(openCollection(tempDir(), { dim: 4, bm25: { k1: 0 } }))).component).toBe("bm25");
    expect((await rejection(openCollection(tempDir(), { dim: 4, bm25: { b: 2 } }))).message).toMatch(/\bb\b/);
    const c = await collection({ dim: 2 });
    expect((await rejection(c.search({}))).message).toMatch(/query needs text, a vector or both/);
    expect((await rejection(c.search({ text: "x" }, { strategy: "DENSE_FIRST" }))).message).toMatch(/DENSE_FIRST needs query\.vector/);
    expect((await rejection(c.search({ text: "x" }, { strategy: "SIDEWAYS" as never }))).message).toMatch(/unknown strategy/);
    expect((await rejection(c.search({ text: "x" }, { k: 0 }))).message).toMatch(/k must be between/);
    expect((await rejection(c.searchVector([1, 2, 3]))).message).toMatch(/query\.vector: expected 2 dimensions/);
    expect((await rejection(c.searchText("x", { filter: { and: [{ range: { field: "n", min: "a" } }] } as never }))).message).toMatch(
      /\$\.and\[0\]\.range\.min/,
    );
    const closed = await openCollection(tempDir(), { dim: 2 });
    await closed.close();
    const e = await rejection(closed.count());
    expect(e.codeName).toBe("CLOSED");
    expect(e.code).toBe(ErrorCode.CLOSED);
  });
});

describe("search", () => {
  it("dense search is exact on small collections and reports similarity and distance", async () => {
    const c = await collection({ dim: 16, metric: "cosine" });
    const vectors = clusteredVectors(300, 16, 5, 1);
    await c.upsert(vectors.map((vector, id) => ({ id, vector })));
    const q = vectors[7]!;
    const hits = await c.searchVector(q, { k: 5 });
    const expected = vectors
      .map((v, id) => ({ id, s: dot(normalized(v), normalized(q)) }))
      .sort((a, b) => b.s - a.s || a.id - b.id)
      .slice(0, 5);
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(hits[0]!.distance).toBeCloseTo(0, 5);
    expect(hits.map((h) => h.denseRank)).toEqual([1, 2, 3, 4, 5]);
  });

  it("l2 scores are negative distances, higher is better", async () => {
    const c = await collection({ dim: 2, metric: "l2" });
    await c.upsert([
      { id: 1, vector: [0, 0] },
      { id: 2, vector: [3, 4] },
    ]);
    const hits = await c.searchVector([0, 0], { k: 2 });
    expect(hits.map((h) => h.id)).toEqual([1, 2]);
    expect(hits[1]!.score).toBeCloseTo(-5, 5);
    expect(hits[1]!.distance).toBeCloseTo(5, 5);
  });

  it("HNSW with a selective filter still fills k with high recall", async () => {
    const dim = 32;
    const c = await collection({ dim, flatThreshold: 100, flatFilterCount: 0, flatFilterRatio: 0 });
    const vectors = clusteredVectors(4000, dim, 40, 2);
    await c.upsert(vectors.map((vector, id) => ({ id, vector, metadata: { bucket: id % 10 } })));
    expect((await c.stats()).hnswNodes).toBe(4000);
    let found = 0;
    const queries = 30;
    for (let qi = 0; qi < queries; qi++) {
      const q = vectors[qi * 97]!;
      const hits = await c.searchVector(q, { k: 10, filter: { bucket: 3 } });
      expect(hits).toHaveLength(10);
      for (const h of hits) expect(h.metadata?.bucket).toBe(3);
      const truth = vectors
        .map((v, id) => ({ id, s: dot(normalized(v), normalized(q)) }))
        .filter((x) => x.id % 10 === 3)
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((x) => x.id);
      found += hits.filter((h) => truth.includes(h.id as number)).length;
    }
    expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it("BM25 finds code identifiers with the code analyzer", async () => {
    const c = await collection({ dim: 2, bm25: { analyzer: "code" } });
    await c.upsert([
      { id: 1, text: "function getUserById(id) { return db.users[id]; }" },
      { id: 2, text: "function parse_config_file(path) {}" },
      { id: 3, text: "the weather is nice" },
    ]);
    expect((await c.searchText("user")).map((h) => h.id)).toEqual([1]);
    expect((await c.searchText("config")).map((h) => h.id)).toEqual([2]);
    const hits = await c.searchText("parse user");
    expect(hits.map((h) => h.id).sort()).toEqual([1, 2]);
    expect(hits[0]!.sparseRank).toBe(1);
  });

  it("hybrid search fuses with RRF and reports both ranks", async () => {
    const c = await collection({ dim: 2 });
    await c.upsert([
      { id: 1, vector: [1, 0], text: "apple banana" },
      { id: 2, vector: [0.9, 0.1], text: "cherry" },
      { id: 3, vector: [0, 1], text: "apple" },
    ]);
    const hits = await c.search({ text: "apple", vector: [1, 0] }, { k: 3 });
    expect(hits[0]).toMatchObject({ id: 1, denseRank: 1 });
    expect(hits[0]!.sparseRank).toBeGreaterThan(0);
    const both = hits.find((h) => h.id === 1)!;
    expect(both.score).toBeCloseTo(1 / (60 + both.denseRank) + 1 / (60 + both.sparseRank), 12);
    const two = hits.find((h) => h.id === 2)!;
    expect(two.sparseRank).toBe(0);
    expect(two.sparseScore).toBeUndefined();

    const weighted = await c.search({ text: "apple", vector: [1, 0] }, { k: 3, fusion: "WEIGHTED_SUM", denseWeight: 1, sparseWeight: 0 });
    expect(weighted.map((h) => h.id)).toEqual([1, 2, 3]);
    const sparseFirst = await c.search({ text: "apple", vector: [1, 0] }, { strategy: "SPARSE_FIRST" });
    expect(sparseFirst.map((h) => h.id).sort()).toEqual([1, 3]);
    const again = await c.search({ text: "apple", vector: [1, 0] }, { k: 3 });
    expect(again).toEqual(hits);
  });

  it("accepts every filter form", async () => {
    const c = await collection({ dim: 2 });
    await c.upsert([
      { id: 1, text: "doc", metadata: { type: "text", lang: "ts", size: 10, draft: false, tags: ["x"] } },
      { id: 2, text: "doc", metadata: { type: "code", lang: "ts", size: 20 } },
      { id: 3, text: "doc", metadata: { type: "text", lang: "py", size: 30, tags: ["x", "y"] } },
    ]);
    const ids = async (filter: Parameters<Collection["searchText"]>[1]) =>
      (await c.searchText("doc", filter)).map((h) => h.id).sort();
    expect(await ids({ filter: "type=text,lang=ts" })).toEqual([1]);
    expect(await ids({ filter: { lang: "ts" } })).toEqual([1, 2]);
    expect(await ids({ filter: { size: { $gte: 20 } } })).toEqual([2, 3]);
    expect(await ids({ filter: { range: { field: "size", min: 10, max: 20, maxInclusive: false } } })).toEqual([1]);
    expect(await ids({ filter: { tags: "y" } })).toEqual([3]);
    expect(await ids({ filter: { not: { tags: "x" } } })).toEqual([2]);
    expect(await ids({ filter: { or: [] } })).toEqual([]);
    expect(await ids({ filter: { and: [] } })).toEqual([1, 2, 3]);
    expect(await ids({ filter: '{"term":{"field":"type","value":"code"}}' })).toEqual([2]);
    const e = await rejection(c.searchText("doc", { filter: { size: { $near: 3 } } as never }));
    expect(e.component).toBe("filter");
    expect(e.message).toMatch(/\$near/);
  });

  it("serves many concurrent searches while writing", async () => {
    const c = await collection({ dim: 8 });
    const vectors = clusteredVectors(500, 8, 5, 3);
    await c.upsert(vectors.map((vector, id) => ({ id, vector, text: `doc ${id % 7}` })));
    const searches = vectors.slice(0, 100).map((v) => c.search({ vector: v, text: "doc" }, { k: 5 }));
    const writes = c.upsert([{ id: 10_000, vector: vectors[0]!, text: "late" }]);
    const results = await Promise.all(searches);
    await writes;
    for (const r of results) expect(r).toHaveLength(5);
    expect(await c.count()).toBe(501);
    await c.ping();
  });
});
