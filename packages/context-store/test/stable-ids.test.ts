import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { documentId, type DocKind } from "../src/index.js";
import { freshStore } from "./helpers.js";

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "print-ids.mjs");
const tuples: [DocKind, string, string][] = [
  ["text", "global", "README.md"],
  ["test_result", "task:7", "parses config"],
  ["text", "task:7", "parses config"],
  ["code", "session:a", "src/ü.ts#f@1"],
  ["plan", "global", "ab"],
];

describe("stable ids", () => {
  it("are identical in another process (built dist) and in the store", async () => {
    const here = tuples.map(([kind, scope, key]) => documentId(kind, scope, key));
    const there = JSON.parse(execFileSync(process.execPath, [fixture, JSON.stringify(tuples)], { encoding: "utf8" })) as string[];
    expect(there).toEqual(here);
    const store = await freshStore();
    const { id } = await store.put({ kind: "test_result", key: "parses config", content: "fail" }, { scope: "task:7" });
    expect(id).toBe(here[1]);
  });

  it("differ by kind, scope and key, with field boundaries respected", () => {
    const ids = new Set([
      documentId("text", "global", "ab"), documentId("plan", "global", "ab"), documentId("text", "task:1", "ab"),
      documentId("text", "global", "a"), documentId("text", "global", "abc"),
    ]);
    expect(ids.size).toBe(5);
    expect(documentId("text", "global", "ab")).toMatch(/^[0-9a-f]{64}$/);
  });
});
