import { describe, expect, it } from "vitest";
import { isCodeLanguage, isTypeScriptFamily, languageOf } from "../src/ingest/language.js";
import { chunkText } from "../src/ingest/text-chunker.js";
import { chunkTypeScript } from "../src/ingest/ts-chunker.js";

describe("chunkTypeScript", () => {
  it("gives each top-level declaration its own chunk with symbol and 1-based lines", () => {
    const source = [
      'import fs from "node:fs";',           // 1
      'import path from "node:path";',       // 2
      "",                                    // 3
      "/** Adds. */",                        // 4
      "export function add(a: number, b: number) {", // 5
      "  return a + b;",                     // 6
      "}",                                   // 7
      "interface Shape { area(): number }",  // 8
      "export type Id = string;",            // 9
      "enum Color { Red }",                  // 10
      "export const LIMIT = 3;",             // 11
      "const helper = () => 1;",             // 12
      "let counter = 0;",                    // 13
      "class Box {}",                        // 14
      "export default Box;",                 // 15
      "namespace NS { export const x = 1; }", // 16
    ].join("\n");
    const chunks = chunkTypeScript("a.ts", source);
    expect(chunks.map((c) => [c.symbol, c.startLine, c.endLine])).toEqual([
      [undefined, 1, 2], ["add", 4, 7], ["Shape", 8, 8], ["Id", 9, 9], ["Color", 10, 10], ["LIMIT", 11, 11],
      ["helper", 12, 12], [undefined, 13, 13], ["Box", 14, 14], ["default", 15, 15], ["NS", 16, 16],
    ]);
    expect(chunks[1]!.content).toBe("/** Adds. */\nexport function add(a: number, b: number) {\n  return a + b;\n}");
  });

  it("handles JSX/JS kinds and empty files", () => {
    expect(chunkTypeScript("c.jsx", "export function C() { return <div/>; }")[0]?.symbol).toBe("C");
    expect(chunkTypeScript("c.mjs", "export default function () {}")[0]?.symbol).toBe("default");
    expect(chunkTypeScript("e.ts", "")).toEqual([]);
  });
});

describe("chunkText", () => {
  it("splits by blank lines, joins small blocks and caps big ones", () => {
    const small = chunkText("a\nb\n\nc\n\n\n");
    expect(small).toEqual([{ content: "a\nb\n\nc", startLine: 1, endLine: 4 }]);
    const blocks = chunkText(["x".repeat(60), "", "y".repeat(60), "", "z".repeat(10)].join("\n"), 100);
    expect(blocks.map((c) => [c.startLine, c.endLine])).toEqual([[1, 1], [3, 3], [5, 5]]);
    const long = chunkText(Array.from({ length: 10 }, (_, i) => `line ${i} ${"w".repeat(20)}`).join("\n"), 100);
    expect(long.length).toBeGreaterThan(2);
    expect(long.every((c) => c.content.length <= 100)).toBe(true);
    expect(long[0]!.startLine).toBe(1);
    expect(long.at(-1)!.endLine).toBe(10);
    expect(chunkText("\n  \n")).toEqual([]);
  });
});

describe("languages", () => {
  it("maps extensions and decides code vs text", () => {
    expect(languageOf("a/b.tsx")).toBe("typescript");
    expect(languageOf("x.MJS")).toBe("javascript");
    expect(languageOf("Makefile")).toBe("text");
    expect(languageOf("dir.v2/file")).toBe("text");
    expect(languageOf(".gitignore")).toBe("text");
    expect(isTypeScriptFamily("python")).toBe(false);
    expect(isCodeLanguage("python")).toBe(true);
    expect(isCodeLanguage("markdown")).toBe(false);
  });
});
