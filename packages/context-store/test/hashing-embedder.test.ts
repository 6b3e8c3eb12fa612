import { describe, expect, it } from "vitest";
import { HashingEmbedder } from "../src/index.js";

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe("HashingEmbedder", () => {
  const embedder = new HashingEmbedder();

  it("is deterministic and unit-length", async () => {
    const [a, b] = await embedder.embed(["parse the config file", "parse the config file"]);
    expect(a).toEqual(b);
    expect(a!.length).toBe(384);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
  });

  it("places texts sharing words closer than unrelated ones", () => {
    const q = embedder.embedOne("read configuration file");
    const near = embedder.embedOne("readConfig loads the configuration file from disk");
    const far = embedder.embedOne("matrix multiplication kernel with tiling");
    expect(dot(q, near)).toBeGreaterThan(dot(q, far) + 0.1);
  });

  it("gives an empty text a valid direction", () => {
    const v = embedder.embedOne("");
    expect(dot(v, v)).toBeCloseTo(1, 6);
  });

  it("validates its options", () => {
    expect(() => new HashingEmbedder({ dim: 4 })).toThrow(RangeError);
    expect(() => new HashingEmbedder({ charNgrams: [1] })).toThrow(RangeError);
    expect(new HashingEmbedder({ dim: 64, charNgrams: [3] }).embedOne("abc").length).toBe(64);
  });
});
