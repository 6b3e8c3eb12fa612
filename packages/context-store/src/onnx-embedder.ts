import { createRequire } from "node:module";
import type { Embedder } from "./embedder.js";
import { ContextStoreError } from "./errors.js";

/** Turns texts into model inputs: token ids and attention masks of one padded length. */
export type OnnxTokenizer = (texts: readonly string[]) => { inputIds: bigint[][]; attentionMask: bigint[][] };

/** Options of {@link OnnxEmbedder}. */
export interface OnnxEmbedderOptions {
  /** Path of the `.onnx` model file (e.g. a sentence-transformers export). */
  modelPath: string;
  /** Identifies the model in the store's metadata (e.g. `all-MiniLM-L6-v2`). */
  modelName: string;
  dim: number;
  tokenizer: OnnxTokenizer;
  /** Texts per inference run (default 32). */
  batchSize?: number;
}

/** The slice of onnxruntime-node's API this embedder uses. */
interface OrtTensor {
  data: Float32Array | ArrayLike<number>;
  dims: readonly number[];
}
interface OrtModule {
  InferenceSession: { create(path: string): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>; inputNames: readonly string[]; outputNames: readonly string[] }> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
}

/** Loads onnxruntime-node on first use: an optional peer dependency, so the store works without it. */
function loadOrt(): OrtModule {
  try {
    return createRequire(import.meta.url)("onnxruntime-node") as OrtModule;
  } catch (cause) {
    throw new ContextStoreError(
      "EmbedderFailure",
      "OnnxEmbedder needs the optional peer dependency onnxruntime-node: npm install onnxruntime-node (it downloads native binaries at install time)",
      {},
      { cause },
    );
  }
}

/**
 * An {@link Embedder} running a local ONNX sentence-embedding model with onnxruntime-node: feeds
 * `input_ids` / `attention_mask` (and zero `token_type_ids` when the model wants them), mean-pools the
 * last hidden state over the mask and L2-normalises. The tokenizer is injected (models differ).
 */
export class OnnxEmbedder implements Embedder {
  readonly name: string;
  readonly version = "1";
  readonly dim: number;
  readonly #options: OnnxEmbedderOptions;
  #session: ReturnType<OrtModule["InferenceSession"]["create"]> | undefined;
  #ort: OrtModule | undefined;

  constructor(options: OnnxEmbedderOptions) {
    if (typeof options?.modelPath !== "string" || options.modelPath.length === 0) throw new ContextStoreError("InvalidOptions", "OnnxEmbedder modelPath: must be a non-empty path");
    if (typeof options.modelName !== "string" || options.modelName.length === 0) throw new ContextStoreError("InvalidOptions", "OnnxEmbedder modelName: must be a non-empty string");
    if (!Number.isInteger(options.dim) || options.dim < 1) throw new ContextStoreError("InvalidOptions", `OnnxEmbedder dim: must be a positive integer, got ${options.dim}`);
    if (typeof options.tokenizer !== "function") throw new ContextStoreError("InvalidOptions", "OnnxEmbedder tokenizer: must be a function");
    this.name = `onnx:${options.modelName}`;
    this.dim = options.dim;
    this.#options = options;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.#ort ??= loadOrt();
    this.#session ??= this.#ort.InferenceSession.create(this.#options.modelPath);
    const session = await this.#session;
    const out: Float32Array[] = [];
    const batchSize = this.#options.batchSize ?? 32;
    for (let i = 0; i < texts.length; i += batchSize) {
      const batch = texts.slice(i, i + batchSize);
      const { inputIds, attentionMask } = this.#options.tokenizer(batch);
      const length = inputIds[0]?.length ?? 0;
      const tensor = (rows: bigint[][]) => new this.#ort!.Tensor("int64", BigInt64Array.from(rows.flat()), [rows.length, length]);
      const feeds: Record<string, unknown> = { input_ids: tensor(inputIds), attention_mask: tensor(attentionMask) };
      if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = tensor(inputIds.map((row) => row.map(() => 0n)));
      const result = await session.run(feeds);
      const hidden = result[session.outputNames[0]!];
      if (hidden === undefined || hidden.dims.length !== 3 || hidden.dims[2] !== this.dim) {
        throw new ContextStoreError("EmbedderFailure", `OnnxEmbedder: model output has dims [${hidden?.dims.join(", ")}]; expected [batch, tokens, ${this.dim}]`);
      }
      out.push(...meanPool(hidden.data, batch.length, length, this.dim, attentionMask));
    }
    return out;
  }
}

/** Mean of the token vectors under the attention mask, L2-normalised. */
export function meanPool(data: ArrayLike<number>, batch: number, tokens: number, dim: number, mask: bigint[][]): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    let count = 0;
    for (let t = 0; t < tokens; t++) {
      if (mask[b]?.[t] !== 1n) continue;
      count++;
      const base = (b * tokens + t) * dim;
      for (let d = 0; d < dim; d++) v[d]! += data[base + d]!;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      v[d]! /= Math.max(count, 1);
      norm += v[d]! * v[d]!;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
    for (let d = 0; d < dim; d++) v[d]! *= scale;
    out.push(v);
  }
  return out;
}
