import { describe, expect, it } from "vitest";
import { ContextStoreError, threeWayMerge } from "../src/index.js";
import { freshStore } from "./helpers.js";

const base = ["line 1", "line 2", "line 3", "line 4", "line 5"].join("\n");

describe("merge", () => {
  it("merges edits to different regions and writes the result as a new version", async () => {
    const store = await freshStore();
    await store.put({ kind: "code", key: "f.ts", content: base }, { scope: "global" });
    await store.put({ kind: "code", key: "f.ts", content: base.replace("line 1", "line ONE") }, { scope: "global" });
    const result = await store.merge({ kind: "code", key: "f.ts", content: base.replace("line 5", "line FIVE") }, { scope: "global", baseVersion: 1 });
    expect(result).toMatchObject({ merged: true, version: 3, applied: true, content: "line ONE\nline 2\nline 3\nline 4\nline FIVE" });
    expect((await store.get("f.ts", { scope: "global" }))?.content).toBe("line ONE\nline 2\nline 3\nline 4\nline FIVE");
  });

  it("returns the conflicts and writes nothing when both sides changed the same lines", async () => {
    const store = await freshStore();
    await store.put({ kind: "code", key: "f.ts", content: base }, { scope: "global" });
    await store.put({ kind: "code", key: "f.ts", content: base.replace("line 3", "theirs 3") }, { scope: "global" });
    const result = await store.merge({ kind: "code", key: "f.ts", content: base.replace("line 3", "ours 3") }, { scope: "global", baseVersion: 1 });
    expect(result).toEqual({
      merged: false, id: expect.any(String), currentVersion: 2, baseVersion: 1,
      conflicts: [{ base: ["line 3"], baseLine: 2, theirs: ["theirs 3"], theirsLine: 2, ours: ["ours 3"], oursLine: 2 }],
    });
    expect((await store.get("f.ts", { scope: "global" }))?.version).toBe(2);
  });

  it("is a plain write when nothing changed since the base, and checks its inputs", async () => {
    const store = await freshStore();
    await store.put({ kind: "text", key: "t", content: base }, { scope: "global" });
    expect(await store.merge({ kind: "text", key: "t", content: "new" }, { scope: "global", baseVersion: 1 })).toMatchObject({ merged: true, version: 2, content: "new" });
    await expect(store.merge({ kind: "text", key: "t", content: "x" }, { scope: "global", baseVersion: 9 })).rejects.toMatchObject({ code: "Conflict" });
    await expect(store.merge({ kind: "text", key: "zz", content: "x" }, { scope: "global", baseVersion: 1 })).rejects.toMatchObject({ code: "NotFound" });
    await expect(store.merge({ kind: "text", key: "t", content: "x" }, { scope: "global", baseVersion: 0 })).rejects.toBeInstanceOf(ContextStoreError);
  });

  it("treats identical changes on both sides as no conflict", () => {
    expect(threeWayMerge("a\nb", "a\nB", "a\nB")).toEqual({ ok: true, content: "a\nB" });
  });
});
