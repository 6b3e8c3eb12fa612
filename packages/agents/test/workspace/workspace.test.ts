import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWorkspaceIO, workspaceDigest } from "../../src/index.js";
import { normaliseRelativePath, relativePosixPath, toPosixPath } from "../../src/workspace/paths.js";
import { listWorkspaceFiles } from "../../src/workspace/source-files.js";

const root = mkdtempSync(path.join(tmpdir(), "vltair-workspace-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const files: Record<string, string> = {
  ".gitignore": "*.log\n",
  "src/a.ts": "export const a = 1;\n",
  "src/debug.log": "noise",
  "src/deep/b.ts": "export const b = 2;\n",
  "dist/a.js": "built",
  "node_modules/m/index.js": "dep",
};
for (const [rel, text] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}
// Effects run directly: what the journal would record is not the point here.
const io = createWorkspaceIO(root, { effect: (_tool, _input, run) => run() });

describe("workspace listing (the shared walker)", () => {
  it("lists files honouring .gitignore and the excluded directory names", async () => {
    expect(await io.listFiles()).toEqual([".gitignore", "dist/a.js", "src/a.ts", "src/deep/b.ts"]);
    expect(await io.listFiles(".", { exclude: ["dist", "node_modules"] })).toEqual([".gitignore", "src/a.ts", "src/deep/b.ts"]);
  });

  it("lists a subdirectory under the root's ignore rules, recursively or not", async () => {
    expect(await io.listFiles("src")).toEqual(["src/a.ts", "src/deep/b.ts"]);
    expect(await io.listFiles("./src/", { recursive: false })).toEqual(["src/a.ts"]);
  });

  it("gives static analysis and the digest the same source files, and the digest follows their content", async () => {
    expect(await listWorkspaceFiles(root)).toEqual([".gitignore", "src/a.ts", "src/deep/b.ts"]);
    const before = await workspaceDigest(root);
    writeFileSync(path.join(root, "dist/a.js"), "rebuilt"); // build output: not part of the digest
    writeFileSync(path.join(root, "src/other.log"), "ignored");
    expect(await workspaceDigest(root)).toBe(before);
    writeFileSync(path.join(root, "src/a.ts"), "export const a = 3;\n");
    expect(await workspaceDigest(root)).not.toBe(before);
  });
});

describe("workspace paths (the one normaliser)", () => {
  it("normalises relative paths and refuses every kind that leaves the root", () => {
    expect(normaliseRelativePath("./src//a.ts")).toBe("src/a.ts");
    expect(normaliseRelativePath("src\\win\\a.ts")).toBe("src/win/a.ts");
    expect(normaliseRelativePath("a/../b.ts")).toBe("b.ts");
    for (const bad of ["", ".", "./", "..", "../x", "a/../../x", "/etc/passwd", "\\abs", "C:/x", "c:x"]) {
      expect(normaliseRelativePath(bad), bad).toBeUndefined();
    }
  });

  it("makes root-relative POSIX paths", () => {
    expect(relativePosixPath(root, path.join(root, "src", "a.ts"))).toBe("src/a.ts");
    expect(relativePosixPath(root, root)).toBe("");
    expect(toPosixPath(["a", "b"].join(path.sep))).toBe("a/b");
  });
});
