import { describe, expect, it } from "vitest";
import { ContextStoreError, documentId, openContextStore } from "../src/index.js";
import { freshStore, tempDir } from "./helpers.js";

async function rejection(promise: Promise<unknown>): Promise<ContextStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ContextStoreError);
    return error as ContextStoreError;
  }
  throw new Error("expected a rejection");
}

describe("put / get", () => {
  it("stores a document under a stable id and returns the latest version", async () => {
    const store = await freshStore();
    const res = await store.put({ kind: "text", key: "notes", content: "first" }, { scope: "session:1" });
    expect(res).toEqual({ id: documentId("text", "session:1", "notes"), version: 1, applied: true });
    await store.put({ kind: "text", key: "notes", content: "second" }, { scope: "session:1" });
    const doc = await store.get("notes", { scope: "session:1" });
    expect(doc).toMatchObject({ kind: "text", key: "notes", content: "second", version: 2, scope: "session:1", writtenAt: 1_700_000_000_000 });
    expect(await store.get("missing", { scope: "session:1" })).toBeUndefined();
  });

  it("keeps structured data, location fields and metadata", async () => {
    const store = await freshStore();
    const doc = {
      kind: "test_result" as const, key: "parses config", content: "parses config: fail",
      data: { status: "fail", log: ["a", "b"], nested: { n: 1, ok: null } },
      path: "src/config.ts", language: "typescript", startLine: 3, endLine: 9, symbol: "parseConfig",
      metadata: { team: "core", tags: ["flaky"], attempt: 2, ci: true },
    };
    await store.put(doc, { scope: { kind: "task", id: "t1" } });
    expect(await store.get("parses config", { scope: "task:t1", kind: "test_result" })).toMatchObject(doc);
  });

  it("never collides a structured record with its text rendering", async () => {
    const store = await freshStore();
    const a = await store.put({ kind: "analysis", key: "lint", content: "2 warnings", data: { warnings: 2 } }, { scope: "global" });
    const b = await store.put({ kind: "text", key: "lint", content: "2 warnings" }, { scope: "global" });
    expect(a.id).not.toBe(b.id);
    expect((await store.get("lint", { scope: "global", kind: "analysis" }))?.data).toEqual({ warnings: 2 });
    expect((await store.get("lint", { scope: "global", kind: "text" }))?.data).toBeUndefined();
    const ambiguous = await rejection(store.get("lint", { scope: "global" }));
    expect(ambiguous.code).toBe("InvalidQuery");
    expect(ambiguous.message).toContain("analysis, text");
  });
});

describe("scopes", () => {
  it("a read sees only the scopes it names", async () => {
    const store = await freshStore();
    await store.put({ kind: "text", key: "k", content: "alpha secret plan" }, { scope: "session:a" });
    await store.put({ kind: "text", key: "k", content: "alpha public plan" }, { scope: "global" });
    await store.put({ kind: "text", key: "k", content: "alpha task plan" }, { scope: "task:x" });
    expect((await store.get("k", { scope: "session:b" }))).toBeUndefined();
    const seen = async (scopes: string[], mode: "dense" | "sparse" | "hybrid") =>
      (await store.search("alpha plan", { scopes, k: 10, mode })).map((h) => h.doc.scope).sort();
    for (const mode of ["dense", "sparse", "hybrid"] as const) {
      expect(await seen(["global"], mode)).toEqual(["global"]);
      expect(await seen(["session:a", "task:x"], mode)).toEqual(["session:a", "task:x"]);
      expect(await seen(["session:b"], mode)).toEqual([]);
    }
  });

  it("dropping a scope removes its documents and history, and nothing else", async () => {
    const store = await freshStore();
    for (let i = 0; i < 40; i++) await store.put({ kind: "text", key: `doc${i}`, content: `note number ${i}` }, { scope: "session:s" });
    await store.put({ kind: "text", key: "doc0", content: "note number 0 again" }, { scope: "session:s" });
    await store.put({ kind: "plan", key: "doc0", content: "kept" }, { scope: "global" });
    expect(await store.dropScope("session:s")).toEqual({ scope: "session:s", documents: 40 });
    expect(await store.get("doc0", { scope: "session:s" })).toBeUndefined();
    expect(await store.history("doc0", { scope: "session:s" })).toEqual([]);
    expect(await store.search("note number", { scopes: ["session:s"], k: 50 })).toEqual([]);
    expect((await store.get("doc0", { scope: "global" }))?.content).toBe("kept");
    // Only the global document and its version record remain.
    expect(await store.collection.count()).toBe(4);
    // The scope is usable again, from version 1.
    expect((await store.put({ kind: "text", key: "doc0", content: "new" }, { scope: "session:s" })).version).toBe(1);
  });

  it("refuses to drop global and rejects malformed scopes", async () => {
    const store = await freshStore();
    expect((await rejection(store.dropScope("global"))).code).toBe("InvalidScope");
    const bad = await rejection(store.put({ kind: "text", key: "k", content: "x" }, { scope: "tenant:1" }));
    expect(bad.code).toBe("InvalidScope");
    expect(bad.message).toContain("put options.scope");
    expect((await rejection(store.search("x", { scopes: [] }))).code).toBe("InvalidQuery");
    expect((await rejection(store.search("x", { scopes: ["session:"] }))).message).toContain("scopes[0]");
  });
});

describe("idempotency", () => {
  it("repeating an applied write is a no-op, also after reopening", async () => {
    const dir = await tempDir();
    const first = await openContextStore(dir, { durability: "commit" });
    const doc = { kind: "text" as const, key: "k", content: "hello" };
    expect((await first.put(doc, { scope: "global" })).applied).toBe(true);
    expect(await first.put(doc, { scope: "global" })).toMatchObject({ version: 1, applied: false });
    expect((await first.put({ ...doc, content: "v2" }, { scope: "global", idempotencyKey: "task-7:write" })).applied).toBe(true);
    await first.close();
    const again = await openContextStore(dir, { durability: "commit" });
    try {
      expect(await again.put({ ...doc, content: "v2" }, { scope: "global" })).toMatchObject({ version: 2, applied: false });
      // The key was applied: repeating that write is a no-op, even with a stale expected version.
      expect(await again.put({ ...doc, content: "v2" }, { scope: "global", idempotencyKey: "task-7:write", expectedVersion: 1 }))
        .toMatchObject({ version: 2, applied: false });
      // The key is bound to that write: reusing it for other content or another document is refused.
      for (const other of [{ ...doc, content: "other" }, { ...doc, key: "k2", content: "v2" }, { ...doc, kind: "plan" as const, content: "v2" }]) {
        await expect(again.put(other, { scope: "global", idempotencyKey: "task-7:write" })).rejects.toMatchObject({
          code: "Conflict",
          message: expect.stringContaining('idempotency key "task-7:write" in scope global was used for another write'),
        });
      }
      expect((await again.history("k", { scope: "global" })).length).toBe(2);
    } finally {
      await again.close();
    }
  });

  it("re-applies a keyed write whose document was deleted since", async () => {
    const store = await freshStore();
    const doc = { kind: "text" as const, key: "k", content: "hello" };
    await store.put(doc, { scope: "global", idempotencyKey: "once" });
    expect(await store.delete("k", { scope: "global" })).toBe(true);
    expect(await store.delete("k", { scope: "global" })).toBe(false);
    expect(await store.put(doc, { scope: "global", idempotencyKey: "once" })).toMatchObject({ version: 1, applied: true });
  });
});

describe("versions", () => {
  it("a stale expectedVersion is a conflict that writes nothing", async () => {
    const store = await freshStore();
    await store.put({ kind: "plan", key: "p", content: "v1" }, { scope: "global", expectedVersion: 0 });
    await store.put({ kind: "plan", key: "p", content: "v2" }, { scope: "global", expectedVersion: 1 });
    const err = await rejection(store.put({ kind: "plan", key: "p", content: "v3" }, { scope: "global", expectedVersion: 1 }));
    expect(err.code).toBe("Conflict");
    expect(err.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    expect((await rejection(store.put({ kind: "plan", key: "new", content: "x" }, { scope: "global", expectedVersion: 3 }))).code).toBe("Conflict");
    expect((await store.get("p", { scope: "global" }))?.content).toBe("v2");
    expect(await store.get("new", { scope: "global" })).toBeUndefined();
  });

  it("history lists every version with its content, oldest first", async () => {
    const store = await freshStore();
    for (const content of ["a", "b", "c"]) await store.put({ kind: "text", key: "h", content }, { scope: "task:1" });
    const history = await store.history("h", { scope: "task:1" });
    expect(history.map((d) => [d.version, d.content])).toEqual([[1, "a"], [2, "b"], [3, "c"]]);
    expect(await store.history("nope", { scope: "task:1", kind: "text" })).toEqual([]);
  });
});

describe("search", () => {
  it("ranks matching documents first in every mode and carries the stored document", async () => {
    const store = await freshStore();
    await store.put({ kind: "code", key: "a", content: "export function parseConfig(text) { return JSON.parse(text) }", language: "typescript" }, { scope: "global" });
    await store.put({ kind: "code", key: "b", content: "export function renderTemplate(html) { return html }", language: "javascript" }, { scope: "global" });
    await store.put({ kind: "text", key: "c", content: "meeting notes about the roadmap" }, { scope: "global" });
    for (const mode of ["dense", "sparse", "hybrid"] as const) {
      const hits = await store.search("parse config", { scopes: ["global"], k: 3, mode });
      expect(hits[0]?.doc.key, mode).toBe("a");
      expect(hits[0]?.id).toBe(documentId("code", "global", "a"));
    }
    const weighted = await store.search("parse config", { scopes: ["global"], k: 2, denseWeight: 0.2, sparseWeight: 0.8, rrfK: 10, rerankFactor: 4 });
    expect(weighted[0]?.doc.key).toBe("a");
    expect(weighted[0]?.sparseScore).toBeGreaterThan(0);
    expect(await store.search("   ", { scopes: ["global"], mode: "sparse" })).toEqual([]);
  });

  it("combines filters (object, JSON text, k=v shorthand) and kinds with the scopes", async () => {
    const store = await freshStore();
    await store.put({ kind: "code", key: "a", content: "shared words here", language: "typescript", startLine: 5, metadata: { team: "core" } }, { scope: "global" });
    await store.put({ kind: "code", key: "b", content: "shared words here too", language: "python", startLine: 50 }, { scope: "global" });
    await store.put({ kind: "text", key: "c", content: "shared words here as text" }, { scope: "global" });
    await store.put({ kind: "code", key: "d", content: "shared words here", language: "typescript" }, { scope: "session:other" });
    const keys = async (filters: Parameters<typeof store.search>[1]["filters"], kinds?: ("code" | "text")[]) =>
      (await store.search("shared words", { scopes: ["global"], k: 10, filters, ...(kinds ? { kinds } : {}) })).map((h) => h.doc.key).sort();
    expect(await keys({ language: "typescript" })).toEqual(["a"]);
    expect(await keys('{"startLine": {"$gte": 10}}')).toEqual(["b"]);
    expect(await keys("language=typescript,team=core")).toEqual(["a"]);
    expect(await keys("startLine=50")).toEqual(["b"]);
    expect(await keys(undefined, ["text"])).toEqual(["c"]);
    expect(await keys("")).toEqual(["a", "b", "c"]);
    // A user filter on scope cannot widen what the read may see.
    expect(await keys({ scope: "session:other" })).toEqual([]);
    expect((await rejection(store.search("x", { scopes: ["global"], filters: "{not json" }))).code).toBe("InvalidQuery");
    expect((await rejection(store.search("x", { scopes: ["global"], filters: "novalue" }))).message).toContain("key=value");
    expect((await rejection(store.search("x", { scopes: ["global"], k: 0 }))).code).toBe("InvalidQuery");
    expect((await rejection(store.search("x", { scopes: ["global"], mode: "fuzzy" as "dense" }))).code).toBe("InvalidQuery");
    expect((await rejection(store.search("x", { scopes: ["global"], kinds: ["blob" as "code"] }))).code).toBe("InvalidQuery");
  });
});

describe("bad input", () => {
  it("rejects unknown kinds, empty keys, huge documents and bad fields before writing anything", async () => {
    const store = await freshStore();
    const cases: [unknown, string][] = [
      [{ kind: "blob", key: "k", content: "x" }, "unknown kind \"blob\""],
      [{ kind: "text", key: "", content: "x" }, "document.key: must be a non-empty string"],
      [{ kind: "text", key: "k", content: "x".repeat(1024 * 1024 + 1) }, "is 1048577 bytes; the limit is 1048576 bytes"],
      [{ kind: "text", key: "k", content: 42 }, "document.content: must be a string"],
      [{ kind: "text", key: "k", content: "x", data: [1] }, "document.data: must be a JSON object"],
      [{ kind: "text", key: "k", content: "x", data: { n: Number.NaN } }, "document.data.n: must be a finite number"],
      [{ kind: "text", key: "k", content: "x", startLine: 0 }, "document.startLine"],
      [{ kind: "text", key: "k", content: "x", startLine: 5, endLine: 2 }, "before startLine"],
      [{ kind: "text", key: "k", content: "x", metadata: { scope: "global" } }, "set by the store"],
      [{ kind: "text", key: "k", content: "x", metadata: { ok: { nested: 1 } } }, "document.metadata.ok"],
      [{ kind: "text", key: "k".repeat(600), content: "x" }, "the limit is 512"],
      [null, "expected an object"],
    ];
    for (const [doc, message] of cases) {
      const err = await rejection(store.put(doc as never, { scope: "global" }));
      expect(err.code).toBe("InvalidDocument");
      expect(err.message).toContain(message);
    }
    expect((await rejection(store.put({ kind: "text", key: "k", content: "x" }, { scope: "global", expectedVersion: -1 }))).code).toBe("InvalidDocument");
    expect((await rejection(store.put({ kind: "text", key: "k", content: "x" }, { scope: "global", idempotencyKey: "" }))).code).toBe("InvalidDocument");
    expect((await rejection(store.get("", { scope: "global" }))).code).toBe("InvalidDocument");
    expect((await rejection(store.get("k", { scope: "global", kind: "nope" as "text" }))).code).toBe("InvalidDocument");
    expect(await store.collection.count()).toBe(0);
  });

  it("honours a smaller content limit and fails after close", async () => {
    const store = await freshStore({ maxContentBytes: 10 });
    expect((await rejection(store.put({ kind: "text", key: "k", content: "12345678901" }, { scope: "global" }))).message).toContain("limit is 10 bytes");
    await store.close();
    expect((await rejection(store.get("k", { scope: "global" }))).code).toBe("Closed");
    await store.close(); // closing twice is harmless
    expect((await rejection(openContextStore("", {}))).code).toBe("InvalidOptions");
    expect((await rejection(openContextStore(await tempDir(), { maxContentBytes: 0 }))).code).toBe("InvalidOptions");
  });
});

describe("snapshots", () => {
  it("rolls the store back to a snapshot", async () => {
    const store = await freshStore({ durability: "commit" });
    await store.put({ kind: "text", key: "k", content: "before" }, { scope: "global" });
    await store.snapshot("s1");
    await store.put({ kind: "text", key: "k", content: "after" }, { scope: "global" });
    expect((await store.listSnapshots()).map((s) => s.label)).toEqual(["s1"]);
    await store.restore("s1");
    expect((await store.get("k", { scope: "global" }))?.content).toBe("before");
  });
});
