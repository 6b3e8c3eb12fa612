import { describe, expect, it } from "vitest";
import { formatScope, parseScope, ScopeError } from "../src/index.js";

describe("parseScope", () => {
  it("parses the three scope kinds and round-trips them", () => {
    for (const text of ["global", "session:abc-1", "task:t.42:sub"]) {
      expect(formatScope(parseScope(text))).toBe(text);
    }
    expect(parseScope("task:7")).toEqual({ kind: "task", id: "7" });
  });

  it("rejects unknown kinds and bad ids with a message naming the input", () => {
    expect(() => parseScope("project:1")).toThrow(ScopeError);
    expect(() => parseScope("project:1")).toThrow(/scope 'project:1'/);
    expect(() => parseScope("session:")).toThrow(/session id/);
    expect(() => parseScope("task:has space")).toThrow(/task id/);
    expect(() => parseScope("session")).toThrow(/session id/);
  });
});
