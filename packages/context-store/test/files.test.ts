import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { walkFiles, writeFileAtomic } from "../src/files/index.js";
import { tempDir } from "./helpers.js";

async function tree(files: Record<string, string>): Promise<string> {
  const root = await tempDir("walk-");
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
  return root;
}

describe("walkFiles", () => {
  it("honours nested .gitignore files and always skips .git and node_modules", async () => {
    const root = await tree({
      ".gitignore": "*.log\n/out/\n",
      "a.ts": "x",
      "x.log": "x",
      "out/gen.ts": "x",
      "lib/out/kept.ts": "x", // `/out/` is anchored to the root
      "lib/.gitignore": "secret.txt\n!keep.log\n",
      "lib/secret.txt": "x",
      "lib/keep.log": "x",
      "other/secret.txt": "x", // the nested rule applies only under lib/
      ".git/HEAD": "x",
      "node_modules/p/index.js": "x",
    });
    expect(await walkFiles(root)).toEqual([".gitignore", "a.ts", "lib/.gitignore", "lib/out/kept.ts", "other/secret.txt"]);
  });

  it("sorts by code unit over whole paths, so every caller sees one order", async () => {
    const root = await tree({ "a-b.ts": "x", "a/x.ts": "x", "B.ts": "x", "a.ts": "x" });
    expect(await walkFiles(root)).toEqual(["B.ts", "a-b.ts", "a.ts", "a/x.ts"]);
  });

  it("skips the given directory names at any depth instead of the defaults", async () => {
    const root = await tree({ "src/a.ts": "x", "dist/a.js": "x", "pkg/dist/b.js": "x", "node_modules/m/i.js": "x" });
    expect(await walkFiles(root, { skipDirectories: ["dist"] })).toEqual(["node_modules/m/i.js", "src/a.ts"]);
  });

  it("lists one subdirectory with the ignore rules of its ancestors, recursively or not", async () => {
    const root = await tree({ ".gitignore": "*.tmp\n", "src/a.ts": "x", "src/b.tmp": "x", "src/deep/c.ts": "x", "top.ts": "x" });
    expect(await walkFiles(root, { under: "src" })).toEqual(["src/a.ts", "src/deep/c.ts"]);
    expect(await walkFiles(root, { under: "./src/", recursive: false })).toEqual(["src/a.ts"]);
    expect(await walkFiles(root, { under: "." })).toEqual([".gitignore", "src/a.ts", "src/deep/c.ts", "top.ts"]);
  });

  it("follows no symbolic link", async () => {
    const root = await tree({ "real/a.ts": "x" });
    await fs.symlink(path.join(root, "real"), path.join(root, "link"), "dir");
    await fs.symlink(path.join(root, "real/a.ts"), path.join(root, "file-link.ts"));
    expect(await walkFiles(root)).toEqual(["real/a.ts"]);
  });

  it("fails on a missing root instead of reporting an empty tree", async () => {
    const root = await tempDir("walk-");
    await expect(walkFiles(path.join(root, "missing"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("writeFileAtomic", () => {
  it("replaces the file, creates missing directories and leaves no temporary file", async () => {
    const root = await tempDir("atomic-");
    const file = path.join(root, "nested", "dir", "f.json");
    await writeFileAtomic(file, "one");
    await writeFileAtomic(file, new TextEncoder().encode("two"));
    expect(await fs.readFile(file, "utf8")).toBe("two");
    expect(await fs.readdir(path.dirname(file))).toEqual(["f.json"]);
  });

  it("keeps the old content and cleans up when the rename fails", async () => {
    const root = await tempDir("atomic-");
    const file = path.join(root, "target");
    await fs.mkdir(file); // a directory in the way: rename(2) of a file over it fails
    await fs.writeFile(path.join(file, "inside"), "kept");
    await expect(writeFileAtomic(file, "new")).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(await fs.readdir(root)).toEqual(["target"]);
    expect(await fs.readFile(path.join(file, "inside"), "utf8")).toBe("kept");
  });

  it("lets concurrent writers of one file each use their own temporary file", async () => {
    const root = await tempDir("atomic-");
    const file = path.join(root, "f");
    const bodies = Array.from({ length: 20 }, (_, i) => `body-${i}`);
    await Promise.all(bodies.map((b) => writeFileAtomic(file, b)));
    expect(bodies).toContain(await fs.readFile(file, "utf8"));
    expect(await fs.readdir(root)).toEqual(["f"]);
  });
});
