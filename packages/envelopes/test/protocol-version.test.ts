import { describe, expect, it } from "vitest";
import { checkProtocolVersion, PROTOCOL_VERSION, UnsupportedProtocolError } from "../src/index.js";

describe("checkProtocolVersion", () => {
  it("accepts known versions and defaults to 1", () => {
    expect(checkProtocolVersion(undefined)).toBe(1);
    expect(checkProtocolVersion(PROTOCOL_VERSION)).toBe(PROTOCOL_VERSION);
  });

  it("rejects newer, malformed and non-numeric versions clearly", () => {
    for (const bad of [PROTOCOL_VERSION + 1, 0, 1.5, "1", null]) {
      expect(() => checkProtocolVersion(bad)).toThrow(UnsupportedProtocolError);
    }
    expect(() => checkProtocolVersion(2)).toThrow(/protocolVersion 2 is not supported/);
  });
});
