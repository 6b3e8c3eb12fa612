// Text search in every script, through a real collection: golden documents that a natural query must
// find, a property test (any document is found by one of its own words, whatever the script), queries
// without words, and the analyzer settings recorded with the collection.
import { cpSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze, openCollection, VesperError, type Collection } from "../src/index.js";
import { tempDir } from "./helpers.js";

const DIM = 4;
const vec = (i: number) => [1 + (i % 7), 2, 3 + (i % 3), 4];

/** Each document with a query a reader would type to find it. */
const GOLDEN: { script: string; text: string; query: string }[] = [
  { script: "Arabic with ؟ ، ؛", text: "هل زرت المكتبة؟ نعم، وقرأت الكتب؛ كانت رائعة", query: "المكتبة" },
  { script: "Arabic with harakat", text: "كَتَبَ الطالبُ الدرسَ", query: "كتب" },
  { script: "Hindi with ।", text: "यह मेरी किताब है। वह उसका कलम है।", query: "किताब" },
  { script: "Chinese, 23 characters", text: "我们今天去北京大学参观了图书馆和博物馆然后回家。", query: "博物馆" },
  { script: "Japanese, mixed scripts", text: "昨日は東京タワーに行きましたがとても楽しかったです。", query: "東京タワー" },
  { script: "Thai", text: "ภาษาไทยเป็นภาษาที่สวยงามมาก", query: "สวยงาม" },
  { script: "Korean", text: "학교에서 한국어를 공부해요", query: "학교" },
  { script: "accented Latin", text: "Le café de la gare est fermé", query: "cafe ferme" },
  { script: "German ß", text: "Die Straße ist lang", query: "STRASSE" },
  { script: "Greek", text: "Η ΟΔΟΣ είναι μεγάλη", query: "οδος" },
  { script: "Cyrillic", text: "Новогодняя Ёлка в парке", query: "елка" },
  { script: "initials", text: "B. F. Skinner studied behaviour", query: "B F Skinner" },
  { script: "emoji", text: "Launch day 🚀 went well 👩‍💻", query: "🚀" },
  { script: "emoji ZWJ sequence", text: "the team 👨‍👩‍👧 photo", query: "👨‍👩‍👧" },
  { script: "zero-width joiners", text: "می‌خواهم بروم", query: "میخواهم" },
  { script: "fullwidth", text: "ＶＥＳＰＥＲ engine", query: "vesper" },
];

describe("multilingual text search", () => {
  let dir: string;
  let col: Collection;

  beforeAll(async () => {
    dir = tempDir();
    col = await openCollection(dir, { dim: DIM, durability: { mode: "none" } });
    await col.upsert(GOLDEN.map((g, i) => ({ id: i, text: g.text, vector: vec(i) })));
    // Distractors that share no word with any query.
    await col.upsert(Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, text: `filler text number ${i}`, vector: vec(i) })));
  });
  afterAll(async () => {
    await col.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [i, g] of GOLDEN.entries()) {
    it(`finds the ${g.script} document`, async () => {
      const hits = await col.searchText(g.query, { k: 3 });
      expect(hits[0]?.id, `${g.query} → ${JSON.stringify(analyze(g.query))} vs ${JSON.stringify(analyze(g.text))}`).toBe(i);
    });
  }

  it("returns nothing for a query without words, in every mode", async () => {
    for (const query of ["", "   ", "?!.", "؟ ، ؛ ।", "。、…", "--- ***"]) {
      expect(analyze(query)).toEqual([]);
      expect(await col.searchText(query, { k: 5 })).toEqual([]);
      expect(await col.search({ text: query }, { k: 5 })).toEqual([]);
    }
  });

  it("exposes the analysis", () => {
    expect(analyze("Café B. F. Skinner")).toEqual(["cafe", "b", "f", "skinner"]);
    expect(analyze("parseHTTPResponse", "code")).toEqual(["parse", "http", "response", "parsehttpresponse"]);
    expect(analyze("running connections", "english")).toEqual(["run", "connect"]);
    expect(() => analyze("x", "klingon" as never)).toThrow(VesperError);
  });
});

// Words of one script: letters of these ranges, with the script's marks.
const SCRIPTS: [number, number][] = [
  [0x61, 0x7a], [0xc0, 0x17f], [0x391, 0x3c9], [0x410, 0x44f], [0x5d0, 0x5ea], [0x621, 0x64a], [0x905, 0x939],
  [0x995, 0x9b9], [0xe01, 0xe2e], [0x1780, 0x17b3], [0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x9fa5], [0xac00, 0xd7a3],
];
const wordArb = fc
  .tuple(fc.constantFrom(...SCRIPTS), fc.integer({ min: 1, max: 12 }))
  .chain(([[lo, hi], n]) => fc.array(fc.integer({ min: lo, max: hi }), { minLength: n, maxLength: n }))
  .map((cps) => String.fromCodePoint(...cps));
const SEPARATORS = [" ", "، ", "؟ ", "। ", "。", ", ", " — ", "\u00a0", "\n"];

describe("property: a document is found by one of its own words, whatever the script", () => {
  it("holds for random documents in 14 scripts", async () => {
    const dir = tempDir();
    const col = await openCollection(dir, { dim: DIM, durability: { mode: "none" } });
    let next = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(wordArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(...SEPARATORS), async (words, sep) => {
          const id = next++;
          await col.upsert([{ id, text: words.join(sep), vector: vec(id) }]);
          // Stop words ("a", "the", …) are the one kind of word that finds nothing.
          const searchable = words.filter((w) => analyze(w).length > 0);
          if (searchable.length === 0) return;
          const found = await Promise.all(searchable.map((w) => col.searchText(w, { k: 1000 })));
          expect(found.some((hits) => hits.some((h) => h.id === id))).toBe(true);
          for (const hits of found) expect(hits.some((h) => h.id === id)).toBe(true);
        }),
        { numRuns: 150, seed: 20261202 },
      );
    } finally {
      await col.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("analyzer settings are recorded with the collection", () => {
  it("refuses other settings on open unless asked to reindex, then uses them", async () => {
    const dir = tempDir();
    try {
      const docs = [
        { id: 1, text: "running parsers quickly", metadata: { kind: "text" } },
        { id: 2, text: "const runningParsers = makeParsers()", metadata: { kind: "code" } },
      ];
      let col = await openCollection(dir, { dim: DIM, bm25: { analyzer: "default" } });
      await col.upsert(docs);
      expect((await col.searchText("run", { k: 5 })).map((h) => h.id)).toEqual([]);
      await col.close();

      const perKind = { analyzer: "english" as const, analyzerField: "kind", analyzerValues: { code: "code" as const } };
      const err = await openCollection(dir, { dim: DIM, bm25: perKind }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VesperError);
      expect((err as VesperError).codeName).toBe("INVALID_ARGUMENT");
      expect((err as Error).message).toMatch(/analyses text with analyzer "default".*opened with analyzer "english".*bm25\.reindex/);

      col = await openCollection(dir, { dim: DIM, bm25: { ...perKind, reindex: true } });
      expect((await col.stats()).recovery.textReindexed).toMatch(/analyzer-v2;default/);
      // English stemming for text, identifier splitting for code.
      expect((await col.searchText("run", { k: 5 })).map((h) => h.id)).toEqual([1]);
      expect((await col.searchText("parsers", { k: 5 })).map((h) => Number(h.id)).sort()).toEqual([1, 2]);
      await col.close();

      // Recorded: a plain open uses them, without reindexing again.
      col = await openCollection(dir, { dim: DIM });
      expect((await col.stats()).recovery.textReindexed).toBeUndefined();
      expect((await col.searchText("run", { k: 5 })).map((h) => h.id)).toEqual([1]);
      await col.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a missing WAL segment", () => {
  it("is reported as corruption naming the file", async () => {
    const dir = tempDir();
    try {
      const col = await openCollection(dir, { dim: DIM, durability: { mode: "flush", walSegmentBytes: 4096 } });
      for (let i = 0; i < 12; i++) await col.upsert([{ id: i, text: `document ${i} `.repeat(100), vector: vec(i) }]);
      await col.flush();
      const segments = readdirSync(path.join(dir, "wal")).sort();
      expect(segments.length).toBeGreaterThan(2);
      const newest = segments.at(-1)!;
      // The directory copied while the collection is open is what a crash leaves; then the newest
      // segment goes missing.
      const copy = tempDir();
      cpSync(dir, copy, { recursive: true });
      rmSync(path.join(copy, "wal", newest));
      const err = await openCollection(copy, { dim: DIM }).catch((e: unknown) => e);
      expect((err as VesperError).codeName).toBe("CORRUPTION");
      expect((err as Error).message).toContain(`wal/${newest} is missing`);
      rmSync(copy, { recursive: true, force: true });
      await col.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
