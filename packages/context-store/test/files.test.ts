import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { walkFiles, writeFileAtomic, type WalkSkip } from "../src/files/index.js";
import { tempDir, tempTree } from "./helpers.js";

const tree = (files: Record<string, string>) => tempTree(files, "walk-");

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

  it("reports links, special files and unreadable directories to onSkip instead of failing or hiding them", async () => {
    const root = await tree({ "real/a.ts": "x", "ignored/fifo-dir/keep.ts": "x", ".gitignore": "ignored-link\n" });
    await fs.symlink("loop", path.join(root, "loop"));
    await fs.symlink(path.join(root, "real"), path.join(root, "ignored-link"), "dir");
    execFileSync("mkfifo", [path.join(root, "real", "pipe")]);
    await fs.mkdir(path.join(root, "real", ".gitignore")); // a directory where a rules file would be: no rules
    const skips: WalkSkip[] = [];
    // The ignored link is passed over like any ignored entry; the others are reported.
    expect(await walkFiles(root, { onSkip: (s) => skips.push(s) })).toEqual([".gitignore", "ignored/fifo-dir/keep.ts", "real/a.ts"]);
    expect(skips.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: "loop", reason: "symlink", message: "symbolic links are not followed" },
      { path: "real/pipe", reason: "not-regular", message: "a FIFO, not a regular file" },
    ]);
    // An unreadable directory below the root: reported, the rest listed (as an unprivileged user; root reads anything).
    if (process.getuid?.() !== 0) {
      await fs.chmod(path.join(root, "ignored", "fifo-dir"), 0o000);
      const later: WalkSkip[] = [];
      expect(await walkFiles(root, { onSkip: (s) => later.push(s) })).toContain("real/a.ts");
      expect(later).toContainEqual({ path: "ignored/fifo-dir", reason: "unreadable", message: "directory: EACCES" });
      await fs.chmod(path.join(root, "ignored", "fifo-dir"), 0o755);
    }
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
