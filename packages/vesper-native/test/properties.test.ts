// Property tests: the engine against brute-force references written here, on random small corpora.
// Vectors have small integer components and the `ip` metric, so dot products are exact in float32 and
// ties are real ties (broken by id; docs are inserted in id order, so insertion order = id order).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openCollection, type SearchHit } from "../src/index.js";
import { tempDir } from "./helpers.js";

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
const TAGS = ["red", "green", "blue"];
const DIM = 4;

interface Doc {
  id: number;
  vector?: number[];
  text?: string;
  metadata: { n: number; s: string; tags: string[] };
}

type F =
  | { term: { field: "s"; value: string } }
  | { range: { field: "n"; min?: number; max?: number; minInclusive?: boolean; maxInclusive?: boolean } }
  | { tags: string }
  | { and: F[] }
  | { or: F[] }
  | { not: F };

const docArb: fc.Arbitrary<Omit<Doc, "id">> = fc.record({
  vector: fc.option(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: DIM, maxLength: DIM }), { nil: undefined }),
  text: fc.option(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(" ")), { nil: undefined }),
  metadata: fc.record({
    n: fc.integer({ min: 0, max: 5 }),
    s: fc.constantFrom("x", "y"),
    tags: fc.subarray(TAGS),
  }),
});

const corpusArb = fc.array(docArb, { minLength: 1, maxLength: 60 }).map((docs) => docs.map((d, id) => ({ ...d, id })));

const filterArb: fc.Arbitrary<F> = fc.letrec<{ f: F }>((tie) => ({
  f: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    fc.constantFrom("x", "y").map((value): F => ({ term: { field: "s", value } })),
    fc
      .record({
        min: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        max: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        minInclusive: fc.boolean(),
        maxInclusive: fc.boolean(),
      })
      // The engine rejects empty or contradictory ranges (min > max, inclusive flags without a bound).
      .filter((r) => (r.min !== undefined || r.max !== undefined) && !(r.min !== undefined && r.max !== undefined && (r.min > r.max || (r.min === r.max && !(r.minInclusive && r.maxInclusive)))))
      .map((r): F => ({
        range: {
          field: "n",
          ...(r.min !== undefined && { min: r.min, minInclusive: r.minInclusive }),
          ...(r.max !== undefined && { max: r.max, maxInclusive: r.maxInclusive }),
        },
      })),
    fc.constantFrom(...TAGS).map((tag): F => ({ tags: tag })),
    fc.array(tie("f"), { maxLength: 3 }).map((and): F => ({ and })),
    fc.array(tie("f"), { maxLength: 3 }).map((or): F => ({ or })),
    tie("f").map((not): F => ({ not })),
  ),
})).f;

function matches(f: F, d: Doc): boolean {
  if ("term" in f) return d.metadata.s === f.term.value;
  if ("range" in f) {
    const { min, max, minInclusive = true, maxInclusive = true } = f.range;
    const n = d.metadata.n;
    if (min !== undefined && (minInclusive ? n < min : n <= min)) return false;
    if (max !== undefined && (maxInclusive ? n > max : n >= max)) return false;
    return true;
  }
  if ("tags" in f) return d.metadata.tags.includes(f.tags);
  if ("and" in f) return f.and.every((c) => matches(c, d));
  if ("or" in f) return f.or.some((c) => matches(c, d));
  return !matches(f.not, d);
}

type Ranked = { id: number; score: number }[];
const byScore = (a: { id: number; score: number }, b: { id: number; score: number }) => b.score - a.score || a.id - b.id;

function denseReference(docs: Doc[], q: number[], k: number): Ranked {
  return docs
    .filter((d) => d.vector)
    .map((d) => ({ id: d.id, score: d.vector!.reduce((s, x, i) => s + x * q[i]!, 0) }))
    .sort(byScore)
    .slice(0, k);
}

function bm25Reference(all: Doc[], allowed: Doc[], query: string[], k: number): Ranked {
  const withText = all.filter((d) => d.text !== undefined);
  const tokens = new Map(withText.map((d) => [d.id, d.text!.split(" ")]));
  const N = withText.length;
  const avgdl = [...tokens.values()].reduce((s, t) => s + t.length, 0) / Math.max(1, N);
  const df = (t: string) => [...tokens.values()].filter((ts) => ts.includes(t)).length;
  const out: Ranked = [];
  for (const d of allowed) {
    const ts = tokens.get(d.id);
    if (!ts) continue;
    let score = 0;
    let matched = false;
    for (const t of new Set(query)) {
      const tf = ts.filter((x) => x === t).length;
      if (tf === 0) continue;
      matched = true;
      const n = df(t);
      const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
      score += (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * ts.length) / avgdl));
    }
    if (matched) out.push({ id: d.id, score });
  }
  return out.sort(byScore).slice(0, k);
}

/** Same ranking up to float rounding: scores agree rank by rank, and each hit's own score agrees. */
function expectSameRanking(actual: SearchHit[], expected: Ranked, score: (h: SearchHit) => number, tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  const ref = new Map(expected.map((e) => [e.id, e.score]));
  actual.forEach((h, i) => {
    expect(Math.abs(score(h) - expected[i]!.score)).toBeLessThan(tolerance);
    const own = ref.get(h.id as number);
    if (own !== undefined) expect(Math.abs(own - score(h))).toBeLessThan(tolerance);
    else expect(Math.abs(expected.at(-1)!.score - score(h))).toBeLessThan(tolerance); // a tie at the cut
  });
}

async function load(docs: Doc[]) {
  const c = await openCollection(tempDir("vesper-prop-"), { dim: DIM, metric: "ip" });
  await c.upsert(docs.map((d) => ({ ...d, vector: d.vector && Float32Array.from(d.vector) })));
  return c;
}

const queryVector = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: DIM, maxLength: DIM }).filter((v) => v.some((x) => x !== 0));
const queryWords = fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 });

describe("engine vs brute force", () => {
  it("filtered dense search", async () => {
    await fc.assert(
      fc.asyncProperty(corpusArb, queryVector, filterArb, fc.integer({ min: 1, max: 8 }), async (docs, q, filter, k) => {
        const c = await load(docs);
        try {
          const hits = await c.searchVector(q, { k, filter });
          expectSameRanking(hits, denseReference(docs.filter((d) => matches(filter, d)), q, k), (h) => h.score);
          for (const h of hits) expect(matches(filter, docs[h.id as number]!)).toBe(true);
        } finally {
          await c.close();
        }
      }),
      { numRuns: 250, seed: 1 },
    );
  });

  it("filtered BM25", async () => {
    await fc.assert(
      fc.asyncProperty(corpusArb, queryWords, fc.option(filterArb, { nil: undefined }), fc.integer({ min: 1, max: 8 }), async (docs, words, filter, k) => {
        const c = await load(docs);
        try {
          const hits = await c.searchText(words.join(" "), { k, filter });
          const allowed = filter ? docs.filter((d) => matches(filter, d)) : docs;
          expectSameRanking(hits, bm25Reference(docs, allowed, words, k), (h) => h.score);
        } finally {
          await c.close();
        }
      }),
      { numRuns: 250, seed: 2 },
    );
  });

  it("hybrid RRF", async () => {
    await fc.assert(
      fc.asyncProperty(corpusArb, queryVector, queryWords, fc.option(filterArb, { nil: undefined }), async (docs, q, words, filter) => {
        const k = 5;
        const rerankFactor = 2;
        const c = await load(docs);
        try {
          const hits = await c.search({ text: words.join(" "), vector: q, filter }, { k, rerankFactor });
          const allowed = filter ? docs.filter((d) => matches(filter, d)) : docs;
          const dense = denseReference(allowed, q, k * rerankFactor);
          const sparse = bm25Reference(docs, allowed, words, k * rerankFactor);
          // Reference fusion needs the engine's own tie order inside each list; compare fused scores only.
          const fused = new Map<number, number>();
          dense.forEach((h, i) => fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (60 + i + 1)));
          sparse.forEach((h, i) => fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (60 + i + 1)));
          const expected = [...fused].map(([id, score]) => ({ id, score })).sort(byScore).slice(0, k);
          expect(hits.map((h) => h.score)).toEqual(expected.map((e) => expect.closeTo(e.score, 10)));
          for (const h of hits) {
            expect(h.score).toBeCloseTo((h.denseRank ? 1 / (60 + h.denseRank) : 0) + (h.sparseRank ? 1 / (60 + h.sparseRank) : 0), 12);
          }
        } finally {
          await c.close();
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
