import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changesFromDiff, normaliseWorkspacePath, planChanges, CodeGenPathError } from "../../../src/builtin/codegen/changes.js";
import { renderTemplate, TemplateError, templatePlaceholders } from "../../../src/builtin/codegen/template.js";
import {
  checkChangedSources,
  formatDiagnostic,
  parseDiagnostics,
  typeCheckChangedFiles,
} from "../../../src/typescript/compile-check.js";
import { PatchApplyError, PatchParseError, parseFilePatches } from "../../../src/patching/patch-apply.js";
import { createFileDiff, diffStat } from "../../../src/patching/patch-create.js";

const files = (entries: Record<string, string>) => async (path: string) => entries[path];

describe("templates", () => {
  it("fills placeholders, with or without inner spaces", () => {
    expect(renderTemplate("a.ts", "export const {{ name }} = {{value}};\n", { name: "x", value: "1" })).toBe(
      "export const x = 1;\n",
    );
    expect(templatePlaceholders("{{a}} {{b}} {{a}}")).toEqual(["a", "b"]);
  });
  it("rejects missing and unknown variables, naming both", () => {
    const error = (() => {
      try {
        renderTemplate("a.ts", "{{b}} {{a}}", { a: "1", z: "2" });
      } catch (e) {
        return e as TemplateError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect(error?.missing).toEqual(["b"]);
    expect(error?.unknown).toEqual(["z"]);
    expect(error?.message).toBe("a.ts: template missing variables: b; unknown variables: z");
  });
});

describe("patches", () => {
  const original = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
  const changed = original.replace("line 2\n", "LINE 2\n").replace("line 18\n", "LINE 18\n");

  it("round-trips a generated diff and counts lines", async () => {
    const diff = createFileDiff("src/n.txt", original, changed);
    expect(diff.startsWith("diff --git a/src/n.txt b/src/n.txt\n--- a/src/n.txt\n+++ b/src/n.txt\n")).toBe(true);
    expect(diffStat(diff)).toEqual({ insertions: 2, deletions: 2 });
    const planned = await planChanges([{ path: "src/n.txt", diff }], files({ "src/n.txt": original }));
    expect(planned).toEqual([{ path: "src/n.txt", before: original, after: changed }]);
    expect(createFileDiff("x", "same", "same")).toBe("");
    expect(diffStat("")).toEqual({ insertions: 0, deletions: 0 });
  });

  it("creates new files from /dev/null diffs", async () => {
    const diff = createFileDiff("new.ts", undefined, "export const a = 1;\n");
    expect(diff).toContain("new file mode");
    const planned = await planChanges([{ path: "new.ts", diff }], files({}));
    expect(planned).toEqual([{ path: "new.ts", before: undefined, after: "export const a = 1;\n" }]);
  });

  it("accepts plain diffs without a/ b/ prefixes", () => {
    const [p] = parseFilePatches("--- src/x.ts\n+++ src/x.ts\n@@ -1 +1 @@\n-a\n+b\n");
    expect(p?.oldPath).toBe("src/x.ts");
    expect(p?.newPath).toBe("src/x.ts");
  });

  it("names the file and the hunk that does not apply", async () => {
    const diff = createFileDiff("n.txt", original, changed);
    const drifted = original.replace("line 17\n", "line 17!\n");
    const error = await planChanges([{ path: "n.txt", diff }], files({ "n.txt": drifted })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatchApplyError);
    expect((error as PatchApplyError).hunk).toBe(2);
    expect((error as PatchApplyError).message).toMatch(/^n\.txt: hunk 2 of 2 \(@@ -14,7 \+14,7 @@\) does not apply cleanly$/);
    const missing = await planChanges([{ path: "n.txt", diff }], files({})).catch((e: unknown) => e);
    expect((missing as Error).message).toContain("(the file does not exist)");
  });

  it("rejects malformed, empty, multi-file, mismatched and deleting diffs", async () => {
    expect(() => parseFilePatches("not a diff", "a.ts")).toThrow(/a\.ts: the diff contains no hunks/);
    expect(() => parseFilePatches("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n")).toThrow(PatchParseError);
    const two = createFileDiff("a.ts", "a\n", "b\n") + createFileDiff("b.ts", "a\n", "b\n");
    await expect(planChanges([{ path: "a.ts", diff: two }], files({ "a.ts": "a\n" }))).rejects.toThrow(
      /expected a diff for one file, got 2 files/,
    );
    await expect(
      planChanges([{ path: "b.ts", diff: createFileDiff("a.ts", "a\n", "b\n") }], files({ "b.ts": "a\n" })),
    ).rejects.toThrow(/the diff is for 'a\.ts', not for 'b\.ts'/);
    const deletion = "--- a/a.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n";
    await expect(planChanges([{ path: "a.ts", diff: deletion }], files({ "a.ts": "a\n" }))).rejects.toThrow(
      /deleting files is not supported/,
    );
  });

  it("splits a multi-file diff into per-file changes", () => {
    const two = createFileDiff("a.ts", "a\n", "b\n") + createFileDiff("lib/b.ts", "a\n", "b\n");
    const changes = changesFromDiff(two, "fallback");
    expect(changes.map((c) => c.path)).toEqual(["a.ts", "lib/b.ts"]);
    expect(changes[1]?.diff).toContain("+b");
  });
});

describe("planChanges", () => {
  it("applies changes in order on top of each other and drops no-ops", async () => {
    const planned = await planChanges(
      [
        { path: "./b.ts", content: "let x = 1;\n" },
        { path: "b.ts", diff: createFileDiff("b.ts", "let x = 1;\n", "let x = 2;\n") },
        { path: "a.ts", template: "// {{who}}\n", variables: { who: "me" } },
        { path: "same.ts", content: "same\n" },
      ],
      files({ "same.ts": "same\n" }),
    );
    expect(planned).toEqual([
      { path: "a.ts", before: undefined, after: "// me\n" },
      { path: "b.ts", before: undefined, after: "let x = 2;\n" },
    ]);
  });
  it("rejects paths outside the workspace", () => {
    for (const bad of ["/etc/passwd", "../x", "", ".", "a/../../x", "C:/x"]) {
      expect(() => normaliseWorkspacePath(bad)).toThrow(CodeGenPathError);
    }
    expect(normaliseWorkspacePath("a\\b//c.ts")).toBe("a/b/c.ts");
  });
});

describe("compile checks", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "vltair-compile-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("reports parse errors of TS and JS with locations", () => {
    const [d] = parseDiagnostics({ path: "src/a.ts", content: "const a = ;\n" });
    expect(d).toMatchObject({ file: "src/a.ts", line: 1, column: 11, code: 1109, category: "error" });
    expect(formatDiagnostic(d!)).toBe("src/a.ts:1:11 - error TS1109: Expression expected.");
    const js = parseDiagnostics({ path: "a.js", content: "const a: number = 1;\n" });
    expect(js[0]?.code).toBe(8010);
    expect(parseDiagnostics({ path: "ok.mjs", content: "export const a = 1;\n" })).toEqual([]);
  });

  it("type-checks changed TS files in the project's tsconfig, ignoring other files' errors", async () => {
    await writeFile(
      join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", target: "ES2022", types: [] }, include: ["src"] }),
    );
    await mkdir(join(root, "src"));
    await writeFile(join(root, "src/lib.ts"), "export function twice(n: number): number { return n * 2; }\n");
    await writeFile(join(root, "src/broken.ts"), "export const s: string = 1;\n");
    const good = { path: "src/use.ts", content: 'import { twice } from "./lib.js";\nexport const x: number = twice(2);\n' };
    expect(checkChangedSources(root, [good])).toEqual([]);
    const bad = { path: "src/use.ts", content: 'import { twice } from "./lib.js";\nexport const x: string = twice(2);\n' };
    const [d] = checkChangedSources(root, [bad]);
    expect(d).toMatchObject({ file: "src/use.ts", line: 2, column: 14, code: 2322 });
    // The overlay is what counts: changing lib.ts's signature in memory breaks the good caller.
    const libChange = { path: "src/lib.ts", content: "export function twice(n: string): string { return n + n; }\n" };
    const both = typeCheckChangedFiles(root, [libChange, good]);
    expect(both.map((x) => `${x.file}:${x.code}`)).toEqual(["src/use.ts:2322", "src/use.ts:2345"]);
  });

  it("skips the type check without a tsconfig, and stops at syntax errors", async () => {
    expect(checkChangedSources(root, [{ path: "a.ts", content: "export const s: string = 1;\n" }])).toEqual([]);
    await writeFile(join(root, "tsconfig.json"), "{ \"compilerOptions\": { \"strict\": true, \"types\": [] } }");
    const syntax = checkChangedSources(root, [{ path: "a.ts", content: "export const s: string = 1;\nlet = ;\n" }]);
    expect(syntax.every((d) => d.line === 2)).toBe(true);
    expect(checkChangedSources(root, [{ path: "README.md", content: "# hi" }])).toEqual([]);
  });

  it("reports a broken tsconfig", async () => {
    await writeFile(join(root, "tsconfig.json"), '{ "compilerOptions": { "target": "nope" } }');
    const diagnostics = typeCheckChangedFiles(root, [{ path: "a.ts", content: "export {};\n" }]);
    expect(diagnostics[0]).toMatchObject({ file: "tsconfig.json", category: "error" });
  });
});

describe("model output", () => {
  it("extracts a fenced or bare diff and rejects answers without one", async () => {
    const { extractDiff, formatContextHits, formatFilesForPrompt, ModelOutputError } = await import("../../../src/builtin/codegen/model.js");
    const diff = createFileDiff("a.ts", "a\n", "b\n");
    expect(extractDiff(`Here it is:\n\`\`\`diff\n${diff}\`\`\`\nDone.`)).toBe(diff);
    expect(extractDiff(`Sure.\n${diff}`)).toBe(diff);
    expect(() => extractDiff("```ts\nconst a = 1;\n```")).toThrow(ModelOutputError);
    expect(formatFilesForPrompt([{ path: "a.ts", content: "x" }, { path: "b.ts", content: undefined }])).toBe(
      "=== a.ts\nx\n=== b.ts (does not exist yet)",
    );
    expect(formatFilesForPrompt([])).toBe("(none)");
    expect(formatContextHits([{ doc: { path: "p.ts", content: "c" } }, { doc: { key: "k", content: "d" } }, null, {}])).toBe("--- p.ts\nc\n--- k\nd");
    expect(formatContextHits([])).toBe("(none)");
  });
});
