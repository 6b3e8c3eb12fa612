import { describe, expect, it } from "vitest";
import { coveredLines, executableLines } from "../../../src/testing/coverage/coverage-lines.js";
import { extractDiff } from "../../../src/builtin/debug/model-repair.js";
import { numberedExcerpt } from "../../../src/builtin/debug/fault-localisation.js";
import { applyMutation, mutationsOnLine } from "../../../src/builtin/debug/mutation-operators.js";
import { lineRate, rankByOchiai } from "../../../src/testing/coverage/ochiai.js";
import { searchRepair } from "../../../src/builtin/debug/repair-search.js";
import { attributeHookCoverage, escapeRegExp, type Spectrum } from "../../../src/testing/coverage/spectrum.js";
import { SPECTRUM_HOOK_MARKER } from "../../../src/testing/coverage/spectrum-hook.js";

const replacements = (source: string, line: number, file = "a.js") => mutationsOnLine(file, source, line).map((m) => `${m.original}→${m.replacement}`);

describe("mutation operators", () => {
  it("swap relational operators first, then boundaries and constants, in a fixed order", () => {
    expect(replacements("if (n > 10) return 5;\n", 1)).toEqual([
      ">→>=", ">→<", ">→<=", "10→11", "10→9", "5→6", "5→4", "10→0", "10→1", "10→-1", "5→0", "5→1", "5→-1", "n > 10→!(n > 10)",
    ]);
  });
  it("cover equality, logical, arithmetic, ±1 terms, indexes, length and booleans", () => {
    const source = "const ok = a[i] === b && c;\nreturn xs.slice(i, i + size - 1).length * 2 || true;\n";
    const first = replacements(source, 1);
    expect(first).toEqual(expect.arrayContaining(["===→!==", "&&→||", "i→i + 1", "i→i - 1"]));
    const second = replacements(source, 2);
    expect(second).toEqual(expect.arrayContaining(["-→+", "+→-", "*→/", "||→&&", "i + size - 1→i + size", "true→false", "1→0", "2→3"]));
    expect(second).toContain("xs.slice(i, i + size - 1).length→(xs.slice(i, i + size - 1).length - 1)");
  });
  it("remove a negation, negate conditions, handle negative literals and TypeScript", () => {
    expect(replacements("if (!ok(x)) return -1;\n", 1)).toEqual(["-1→0", "-1→-2", "-1→1", "!ok(x)→ok(x)"]);
    expect(replacements("const n: number = 3;\n", 1, "a.ts")).toEqual(["3→4", "3→2", "3→0", "3→1", "3→-1"]);
    expect(replacements("// only a comment\n", 1)).toEqual([]);
  });
  it("apply exactly the span they name", () => {
    const source = "let x = a < b;\n";
    const [first] = mutationsOnLine("a.js", source, 1);
    expect(applyMutation(source, first!)).toBe("let x = a <= b;\n");
    expect(first?.description).toBe('a.js:1: "<" → "<=" (relational)');
  });
});

describe("Ochiai ranking", () => {
  const spectrum: Spectrum = {
    tests: [
      { file: "t.js", name: "a", fullName: "a", status: "fail" },
      { file: "t.js", name: "b", fullName: "b", status: "pass" },
      { file: "t.js", name: "c", fullName: "c", status: "pass" },
      { file: "t.js", name: "d", fullName: "d", status: "skipped" },
    ],
    coverage: { "b.js": { "1": [0, 1, 2], "2": [0], "3": [1] }, "a.js": { "9": [0] } },
    executableLineCount: { "a.js": 10, "b.js": 10 },
    runs: 1,
    inProcessFiles: [],
  };
  it("scores ef/sqrt((ef+nf)(ef+ep)) and breaks ties by file then line", () => {
    expect(rankByOchiai(spectrum).map((l) => [l.file, l.line, l.score])).toEqual([
      ["a.js", 9, 1],
      ["b.js", 2, 1],
      ["b.js", 1, 0.57735],
    ]);
    expect(lineRate(spectrum)).toBe(0.2);
  });
});

describe("coverage lines", () => {
  const source = "function f(x) {\n  if (x) {\n    return 1;\n  }\n  // note\n  return 2;\n}\nf(0);\n";
  it("maps nested V8 ranges to executed code lines only", () => {
    const takenElse = [{ path: "a.js", functions: [
      { functionName: "", isBlockCoverage: true, ranges: [{ startOffset: 0, endOffset: source.length, count: 1 }] },
      { functionName: "f", isBlockCoverage: true, ranges: [{ startOffset: 0, endOffset: 71, count: 1 }, { startOffset: 24, endOffset: 43, count: 0 }] },
    ] }];
    expect([...coveredLines(source, takenElse)].sort((a, b) => a - b)).toEqual([1, 2, 6, 8]);
    expect([...executableLines(source)]).toEqual([1, 2, 3, 6, 8]);
    expect(coveredLines(source, []).size).toBe(0);
  });
  it("numbers excerpts and marks the line", () => {
    expect(numberedExcerpt("a\nb\nc", 2, 1)).toEqual({ startLine: 1, text: "    1 | a\n>   2 | b\n    3 | c" });
  });
});

describe("hook coverage attribution", () => {
  const line = (event: object) => `${SPECTRUM_HOOK_MARKER}${JSON.stringify(event)}`;
  const leaves = [{ name: "x", fullName: "x", status: "pass" as const }, { name: "y", fullName: "s > y", status: "fail" as const }];
  it("splits load-time coverage from per-test coverage, matching by name in order", () => {
    const stderr = [line({ event: "load", name: "", files: [{ path: "m.js", functions: [] }] }), "noise", line({ event: "test", name: "x", files: [] }), line({ event: "test", name: "y", files: [{ path: "n.js", functions: [] }] })].join("\n");
    const result = attributeHookCoverage(stderr, leaves);
    expect(result?.load.map((f) => f.path)).toEqual(["m.js"]);
    expect(result?.perTest.map((files) => files.map((f) => f.path))).toEqual([[], ["n.js"]]);
  });
  it("gives up (so the caller falls back to one process per test) when reports are missing or truncated", () => {
    expect(attributeHookCoverage(line({ event: "test", name: "x", files: [] }), leaves)).toBeUndefined();
    expect(attributeHookCoverage(`${SPECTRUM_HOOK_MARKER}{"event":"te`, leaves)).toBeUndefined();
    expect(escapeRegExp("a(b)*")).toBe("a\\(b\\)\\*");
  });
});

describe("repair search and model answers", () => {
  it("walks ranked lines in order, skips duplicates and respects the bound", async () => {
    const sources: Record<string, string> = { "a.js": "x = 1 < 2;\n" };
    const tried: string[] = [];
    const outcome = await searchRepair({
      ranked: [{ file: "a.js", line: 1, score: 1, failedCovering: 1, passedCovering: 0 }],
      readSource: async (file) => sources[file] ?? "",
      verify: async (overlay) => {
        tried.push(overlay["a.js"] ?? "");
        return overlay["a.js"] === "x = 1 > 2;\n" ? { passed: true, stage: "full-suite" } : { passed: false, stage: "failing-tests" };
      },
    });
    expect(tried).toEqual(["x = 1 <= 2;\n", "x = 1 > 2;\n"]);
    expect(outcome).toMatchObject({ tried: 2, linesSearched: 1, repair: { candidateNumber: 2, mutation: { replacement: ">" } } });
    const bounded = await searchRepair({ ranked: [{ file: "a.js", line: 1, score: 1, failedCovering: 1, passedCovering: 0 }], readSource: async () => sources["a.js"]!, verify: async () => ({ passed: false, stage: "full-suite" }), maxCandidates: 3 });
    expect(bounded).toMatchObject({ tried: 3, rejected: { failingTests: 0, fullSuite: 3 } });
    expect(bounded.repair).toBeUndefined();
  });
  it("extracts a diff from a fenced or bare answer", () => {
    expect(extractDiff("x\n```diff\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n```\n")).toBe("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");
    expect(extractDiff("diff --git a/f b/f\n--- a/f")).toBe("diff --git a/f b/f\n--- a/f\n");
    expect(extractDiff("no diff here")).toBeUndefined();
  });
});
