import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SkippedFile } from "../src/index.js";
import { freshStore, tempDir } from "./helpers.js";

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "ingest-report.mjs");
const DEPTH = 5000;

/** Nesting deep enough to overflow the TypeScript parser's stack, in several syntaxes and file kinds. */
const DEEP: Record<string, string> = {
  "deep/parens.ts": `export const x = ${"(".repeat(DEPTH)}1${")".repeat(DEPTH)};\n`,
  "deep/arrays.js": `export const x = ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)};\n`,
  "deep/objects.mjs": `export const x = ${"{a:".repeat(DEPTH)}1${"}".repeat(DEPTH)};\n`,
  "deep/blocks.cjs": `${"if (x) {".repeat(DEPTH)}${"}".repeat(DEPTH)}\n`,
  "deep/elements.tsx": `export const x = ${"<a>".repeat(DEPTH)}${"</a>".repeat(DEPTH)};\n`,
  "deep/generics.ts": `export type T = ${"A<".repeat(DEPTH)}B${">".repeat(DEPTH)};\n`,
  "deep/templates.ts": `export const x = ${"`${".repeat(DEPTH)}1${"}`".repeat(DEPTH)};\n`,
  "deep/arrows.jsx": `export const x = ${"() => ".repeat(DEPTH)}1;\n`,
};

/** A repository with good files and one of each kind of bad entry. */
async function hostileRepo(): Promise<{ root: string; expected: Omit<SkippedFile, "bytes" | "message">[] }> {
  const root = await tempDir("hostile-");
  const write = async (rel: string, data: string | Buffer) => {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), data);
  };
  await write("good/a.ts", "export function keptAlpha(): number {\n  return 1;\n}\n");
  await write("good/notes.md", "# Notes\n\nkept bravo\n");
  for (const [rel, text] of Object.entries(DEEP)) await write(rel, text);
  const longDir = ["d".repeat(200), "e".repeat(200), "f".repeat(150)].join("/");
  await write(`${longDir}/long.ts`, "export const far = 1;\n");
  await write("bin/image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
  await write("bin/latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe])); // "café" in Latin-1
  await write("locked.txt", "locked charlie\n");
  await fs.chmod(path.join(root, "locked.txt"), 0o000);
  execFileSync("mkfifo", [path.join(root, "pipe")]);
  await fs.symlink("loop", path.join(root, "loop")); // a link to itself
  await fs.symlink("..", path.join(root, "good", "up")); // a directory loop, were links followed
  await fs.symlink("a.ts", path.join(root, "good", "alias.ts"));
  const expected = [
    ...Object.keys(DEEP).map((p) => ({ path: p, reason: "unparsable" as const })),
    { path: `${longDir}/long.ts`, reason: "path-too-long" as const },
    { path: "bin/image.png", reason: "binary" as const },
    { path: "bin/latin1.txt", reason: "invalid-utf8" as const },
    { path: "pipe", reason: "not-regular" as const },
    { path: "loop", reason: "symlink" as const },
    { path: "good/up", reason: "symlink" as const },
    { path: "good/alias.ts", reason: "symlink" as const },
  ];
  return { root, expected };
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

describe("one bad file never aborts an ingest", () => {
  it("skips every kind of bad entry with a reason and a message, counts it, and indexes the rest", async () => {
    const { root, expected } = await hostileRepo();
    const store = await freshStore();
    const report = await store.ingest(root);
    const skipped = report.skipped.map(({ path: p, reason }) => ({ path: p, reason })).sort(byPath);
    // As root the mode-000 file is readable (and indexed); the unprivileged run below covers it.
    expect(skipped).toEqual(expected.sort(byPath));
    for (const s of report.skipped.filter((s) => s.reason === "unparsable")) expect(s.message).toMatch(/RangeError: Maximum call stack size exceeded/);
    expect(report.filesSkipped).toBe(expected.length);
    expect((await store.search("keptAlpha", { scopes: ["global"], mode: "sparse" }))[0]?.doc.symbol).toBe("keptAlpha");
    expect((await store.search("bravo", { scopes: ["global"], mode: "sparse" })).length).toBe(1);
    // Nothing of a skipped file is stored.
    const stored = await store.search("x", { scopes: ["global"], mode: "sparse", k: 100, filters: { path: { $prefix: "deep/" } } });
    expect(stored).toEqual([]);

    // A file that becomes readable (here: fixed) is indexed on the next run; the others stay skipped.
    await fs.writeFile(path.join(root, "deep", "parens.ts"), "export const fixedParens = (1);\n");
    const again = await store.ingest(root);
    expect(again.filesIndexed).toBe(1);
    expect(again.skipped.length).toBe(expected.length - 1);
  });

  it("skips an unreadable file when ingest runs unprivileged", async () => {
    const { root } = await hostileRepo();
    const storeDir = await tempDir("store-");
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      // The temporary directories are private to root: let the unprivileged child in.
      for (const dir of [root, storeDir, path.join(root, "good"), path.join(root, "deep"), path.join(root, "bin")]) await fs.chmod(dir, 0o777);
    }
    const command = asRoot ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, fixture, root, storeDir]] as const : [process.execPath, [fixture, root, storeDir]] as const;
    const report = JSON.parse(execFileSync(command[0], [...command[1]], { encoding: "utf8" })) as { skipped: SkippedFile[]; filesIndexed: number };
    expect(report.skipped.find((s) => s.path === "locked.txt")).toMatchObject({ reason: "unreadable", message: "EACCES" });
    expect(report.filesIndexed).toBe(2);
  });
});
