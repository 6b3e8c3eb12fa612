import type { Embedder } from "./embedder.js";
import { ContextStoreError } from "./errors.js";

/** The `fetch` the client calls (global fetch by default; inject one for tests or proxies). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/** Options of {@link OpenAIEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** Server root, e.g. `https://api.openai.com` or `http://127.0.0.1:8080` (`/v1/embeddings` is appended). */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when given. */
  apiKey?: string;
  /** The model's vector size; every returned vector is checked against it. */
  dim: number;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Attempts per batch on 429 / 5xx / network errors (default 4). */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each attempt (default 250). */
  backoffMs?: number;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  /** Asks the server to shorten vectors (OpenAI `dimensions`), for models that support it. */
  requestDimensions?: boolean;
  fetch?: FetchLike;
  /** Waits between retries (default setTimeout); inject for tests. */
  sleep?: (ms: number) => Promise<void>;
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

/**
 * An {@link Embedder} over any OpenAI-compatible `POST /v1/embeddings` endpoint (OpenAI, vLLM, Ollama,
 * llama.cpp server, …): batches the texts, retries 429 and 5xx answers with exponential backoff, and
 * checks that every vector has the declared dimension. Its `name` includes the model, so a store built
 * with one model refuses to open with another.
 */
export class OpenAIEmbedder implements Embedder {
  readonly name: string;
  readonly version = "1";
  readonly dim: number;
  readonly #options: Required<Omit<OpenAIEmbedderOptions, "apiKey">> & { apiKey?: string };
  readonly #url: string;

  constructor(options: OpenAIEmbedderOptions) {
    const { baseUrl, model, dim } = options;
    if (typeof baseUrl !== "string" || !/^https?:\/\//.test(baseUrl)) throw new ContextStoreError("InvalidOptions", `OpenAIEmbedder baseUrl: expected an http(s) URL, got ${JSON.stringify(baseUrl)}`);
    if (typeof model !== "string" || model.length === 0) throw new ContextStoreError("InvalidOptions", "OpenAIEmbedder model: must be a non-empty string");
    if (!Number.isInteger(dim) || dim < 1 || dim > 65536) throw new ContextStoreError("InvalidOptions", `OpenAIEmbedder dim: must be an integer in [1, 65536], got ${dim}`);
    const batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ContextStoreError("InvalidOptions", `OpenAIEmbedder batchSize: must be a positive integer, got ${batchSize}`);
    this.name = `openai:${model}`;
    this.dim = dim;
    this.#url = `${baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/embeddings`;
    this.#options = {
      baseUrl, model, dim, batchSize,
      maxAttempts: options.maxAttempts ?? 4,
      backoffMs: options.backoffMs ?? 250,
      timeoutMs: options.timeoutMs ?? 60_000,
      requestDimensions: options.requestDimensions ?? false,
      fetch: options.fetch ?? (globalThis.fetch),
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
    if (options.apiKey !== undefined) this.#options.apiKey = options.apiKey;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.#options.batchSize) {
      out.push(...(await this.#embedBatch(texts.slice(i, i + this.#options.batchSize), i)));
    }
    return out;
  }

  async #embedBatch(texts: readonly string[], offset: number): Promise<Float32Array[]> {
    const o = this.#options;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (o.apiKey !== undefined) headers.authorization = `Bearer ${o.apiKey}`;
    const body: Record<string, unknown> = { model: o.model, input: texts, encoding_format: "float" };
    if (o.requestDimensions) body.dimensions = o.dim;
    let lastError = "";
    for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
      if (attempt > 1) await o.sleep(o.backoffMs * 2 ** (attempt - 2));
      let status: number;
      let text: string;
      try {
        const response = await o.fetch(this.#url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(o.timeoutMs) });
        status = response.status;
        text = await response.text();
        if (response.ok) return this.#parse(text, texts.length, offset);
      } catch (error) {
        if (error instanceof ContextStoreError) throw error;
        lastError = `request failed: ${(error as Error).message}`;
        continue; // network errors are retried like 5xx
      }
      lastError = `HTTP ${status}: ${text.slice(0, 300)}`;
      if (!RETRYABLE(status)) break;
    }
    throw new ContextStoreError("EmbedderFailure", `POST ${this.#url} (model ${o.model}, texts ${offset}..${offset + texts.length - 1}): ${lastError}`, { url: this.#url });
  }

  #parse(text: string, count: number, offset: number): Float32Array[] {
    const fail = (message: string): never => {
      throw new ContextStoreError("EmbedderFailure", `POST ${this.#url}: ${message}`, { url: this.#url });
    };
    let json: EmbeddingsResponse;
    try {
      json = JSON.parse(text) as EmbeddingsResponse;
    } catch {
      return fail(`response is not JSON: ${text.slice(0, 200)}`);
    }
    const data = json.data;
    if (!Array.isArray(data) || data.length !== count) return fail(`expected ${count} embeddings in data[], got ${Array.isArray(data) ? data.length : "none"}`);
    const vectors = new Array<Float32Array>(count);
    data.forEach((item, i) => {
      const index = item.index ?? i;
      const e = item.embedding;
      if (!Array.isArray(e) || e.some((x) => typeof x !== "number" || !Number.isFinite(x))) fail(`data[${i}].embedding is not an array of finite numbers`);
      if ((e as number[]).length !== this.dim) fail(`data[${i}].embedding (text ${offset + index}) has dim ${(e as number[]).length}; expected ${this.dim}`);
      if (!Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined) fail(`data[${i}].index ${index} is out of range or repeated`);
      vectors[index] = Float32Array.from(e as number[]);
    });
    return vectors;
  }
}
