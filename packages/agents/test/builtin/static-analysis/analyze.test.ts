import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The orchestrator's shared patterns (the ones redaction uses).
import { findSecrets } from "@vltair/orchestrator";
import { analyzeWorkspace, STATIC_ANALYSIS_RULES, StaticAnalysisInputError } from "../../../src/builtin/static-analysis/analyze.js";
import { findingToArtifact, positionOf, summariseFindings } from "../../../src/builtin/static-analysis/finding.js";
import { MAX_FUNCTION_LINES } from "../../../src/builtin/static-analysis/rules.js";

const longBody = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  total += ${i};`).join("\n");
const FILES: Record<string, string> = {
  "src/planted.ts": [
    "export function check(a: number, b: number): boolean {", // 1
    "  debugger;", // 2
    "  if (a == b) return true;", // 3
    "  try {", // 4
    "    JSON.parse('x');", // 5
    "  } catch {}", // 6
    "  console.log(a);", // 7
    "  return a != b;", // 8
    "  console.log('never');", // 9
    "}", // 10
    "// @ts-ignore", // 11
    "export const wrong: string = 1;", // 12
    "// @ts-ignore: the generated types lag behind the API", // 13
    "export const fine: string = 2;", // 14
    "export function long(): number {", // 15
    "  let total = 0;",
    longBody,
    "  return total;",
    "}",
    "export const typeError: number = 'text';",
    "",
  ].join("\n"),
  "src/ok.ts": [
    "export function ok(a: number): number {",
    "  try {",
    "    return a;",
    "  } catch {",
    "    // ignored on purpose: a cannot throw",
    "  }",
    "  function hoisted(): void {}",
    "  return hoisted.length;",
    "}",
    "",
  ].join("\n"),
  "src/broken.js": "export const a = ;\n",
  "test/planted.test.ts": "console.log('fine in tests');\n",
  "config/.env": "STRIPE=sk_live_abcdefghijklmnop1234\nAWS_KEY=AKIAABCDEFGHIJKLMNOP\n",
  "node_modules/dep/index.ts": "debugger;\n",
  "data.bin": "\u0000AKIAABCDEFGHIJKLMNOP",
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "vltair-static-"));
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const keyed = (findings: { file: string; line: number; rule: string }[]) => findings.map((f) => `${f.file}:${f.line} ${f.rule}`);

describe("analyzeWorkspace", () => {
  it("finds every planted issue, in file/line/column/rule order", async () => {
    const report = await analyzeWorkspace(root, { findSecrets });
    expect(keyed(report.findings)).toEqual([
      "config/.env:1 secret",
      "config/.env:2 secret",
      "src/broken.js:1 ts1109",
      "src/planted.ts:2 no-debugger",
      "src/planted.ts:3 eqeqeq",
      "src/planted.ts:6 no-empty-catch",
      "src/planted.ts:7 no-console-log",
      "src/planted.ts:8 eqeqeq",
      "src/planted.ts:9 no-console-log",
      "src/planted.ts:9 no-unreachable",
      "src/planted.ts:11 ts-ignore-reason",
      "src/planted.ts:15 max-function-lines",
      `src/planted.ts:${20 + MAX_FUNCTION_LINES - 1} ts2322`,
    ]);
    expect(report.filesAnalysed).toBe(6);
    const eq = report.findings.find((f) => f.rule === "eqeqeq");
    expect(eq).toMatchObject({ severity: "warn", column: 9, suggestions: ["Use `===`: a === b"] });
    const secret = report.findings[0];
    expect(secret?.severity).toBe("error");
    expect(secret?.message).not.toContain("sk_live_abcdefghijklmnop1234");
    expect(secret?.message).toContain("sk_l…");
    const ts2322 = report.findings.at(-1);
    expect(ts2322).toMatchObject({ severity: "error", column: 14 });
    expect(ts2322?.message).toContain("Type 'string' is not assignable to type 'number'");
  });

  it("restricts to the requested files and rules", async () => {
    const report = await analyzeWorkspace(root, { findSecrets, files: ["./src/planted.ts"], rules: ["eqeqeq", "typescript"] });
    expect(keyed(report.findings)).toEqual([
      "src/planted.ts:3 eqeqeq",
      "src/planted.ts:8 eqeqeq",
      `src/planted.ts:${20 + MAX_FUNCTION_LINES - 1} ts2322`,
    ]);
    expect(report.filesAnalysed).toBe(1);
  });

  it("is deterministic", async () => {
    const a = await analyzeWorkspace(root, { findSecrets });
    const b = await analyzeWorkspace(root, { findSecrets });
    expect(b).toEqual(a);
  });

  it("rejects unknown rules, missing files and unreadable workspaces", async () => {
    await expect(analyzeWorkspace(root, { findSecrets, rules: ["nope"] })).rejects.toThrow(
      `unknown rule 'nope'; known rules: ${STATIC_ANALYSIS_RULES.join(", ")}`,
    );
    await expect(analyzeWorkspace(root, { findSecrets, files: ["src/missing.ts"] })).rejects.toThrow(StaticAnalysisInputError);
    await expect(analyzeWorkspace(join(root, "nowhere"), { findSecrets })).rejects.toThrow(/cannot read workspace/);
  });

  it("uses the project's tsconfig when there is one", async () => {
    const project = await mkdtemp(join(tmpdir(), "vltair-static-cfg-"));
    try {
      await mkdir(join(project, "src"));
      await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: false, noUnusedLocals: true, types: [] } }));
      await writeFile(join(project, "src/a.ts"), "export function f(x) { const unused = 1; return x; }\n");
      const report = await analyzeWorkspace(project, { findSecrets, rules: ["typescript"] });
      // Not strict: no implicit-any error; noUnusedLocals: the unused local is reported.
      expect(keyed(report.findings)).toEqual(["src/a.ts:1 ts6133"]);
      expect(report.findings[0]?.suggestions[0]).toMatch(/unused/);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it("analyses examples/sample-repo", async () => {
    const sample = resolve(import.meta.dirname, "../../../../../examples/sample-repo");
    const report = await analyzeWorkspace(sample, { findSecrets });
    expect(report.filesAnalysed).toBeGreaterThanOrEqual(7);
    expect(report.findings.filter((f) => f.rule === "secret")).toEqual([]);
    // Whatever it reports is located inside the repository and ordered.
    for (const f of report.findings) expect(f.line).toBeGreaterThanOrEqual(1);
  });
});

describe("finding helpers", () => {
  it("builds artifacts within the contract's limits and a summary", () => {
    const finding = { file: "a.ts", line: 2, column: 3, rule: "r", severity: "warn" as const, message: "m", suggestions: Array.from({ length: 12 }, () => "x".repeat(300)) };
    const artifact = findingToArtifact(finding);
    expect(artifact.suggestions).toHaveLength(10);
    expect(artifact.suggestions[0]).toHaveLength(256);
    expect(artifact).toMatchObject({ kind: "analysis", target: "a.ts", details: "m", rule: "r", location: { file: "a.ts", line: 2, column: 3 } });
    expect(summariseFindings([finding, { ...finding, severity: "error" }], 1)).toBe("1 error, 1 warning, 0 info in 1 file analysed\nr: 2");
    expect(positionOf("ab\ncd\nef", 7)).toEqual({ line: 3, column: 2 });
    expect(positionOf("ab", 0)).toEqual({ line: 1, column: 1 });
  });
});
