import { describe, expect, it } from "vitest";
import { chunkFile } from "../src/index.js";

describe("chunkFile", () => {
  it("splits on blank lines and keys chunks by path and line range", () => {
    const text = "import x from 'y';\n\nexport function a() {\n  return 1;\n}\n\n\nexport function b() {\n  return 2;\n}\n";
    const chunks = chunkFile("src/a.ts", text);
    expect(chunks.map((c) => c.key)).toEqual(["src/a.ts#L1-5", "src/a.ts#L8-10"]);
    expect(chunks[1]!.text).toBe("export function b() {\n  return 2;\n}");
  });

  it("returns nothing for an empty file", () => {
    expect(chunkFile("empty.md", "\n\n")).toEqual([]);
  });
});
