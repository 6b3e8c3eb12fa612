import { describe, expect, it } from "vitest";
import { meanPool, OnnxEmbedder } from "../src/index.js";

const tokenizer = (texts: readonly string[]) => ({ inputIds: texts.map(() => [1n, 2n]), attentionMask: texts.map(() => [1n, 1n]) });

describe("OnnxEmbedder", () => {
  it("explains how to get onnxruntime-node when it is not installed", async () => {
    const e = new OnnxEmbedder({ modelPath: "/models/minilm.onnx", modelName: "all-MiniLM-L6-v2", dim: 384, tokenizer });
    expect(e.name).toBe("onnx:all-MiniLM-L6-v2");
    await expect(e.embed(["x"])).rejects.toMatchObject({ code: "EmbedderFailure", message: expect.stringContaining("npm install onnxruntime-node") });
  });

  it("validates its options", () => {
    expect(() => new OnnxEmbedder({ modelPath: "", modelName: "m", dim: 4, tokenizer })).toThrow(/modelPath/);
    expect(() => new OnnxEmbedder({ modelPath: "m.onnx", modelName: "", dim: 4, tokenizer })).toThrow(/modelName/);
    expect(() => new OnnxEmbedder({ modelPath: "m.onnx", modelName: "m", dim: 0, tokenizer })).toThrow(/dim/);
    expect(() => new OnnxEmbedder({ modelPath: "m.onnx", modelName: "m", dim: 4, tokenizer: undefined as never })).toThrow(/tokenizer/);
  });

  it("mean-pools token vectors under the mask and L2-normalises", () => {
    // batch 2, 2 tokens, dim 2; the second text's second token is padding.
    const data = [3, 0, 1, 4, 0, 2, 100, 100];
    const [a, b] = meanPool(data, 2, 2, 2, [[1n, 1n], [1n, 0n]]);
    expect(Array.from(a!)).toEqual([Math.fround(2 / Math.sqrt(8)), Math.fround(2 / Math.sqrt(8))]);
    expect(Array.from(b!)).toEqual([0, 1]);
  });
});
