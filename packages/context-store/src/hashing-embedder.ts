import type { Embedder } from "./embedder.js";

/** Options of {@link HashingEmbedder}. */
export interface HashingEmbedderOptions {
  /** Vector size (default 384). */
  dim?: number;
  /** Character n-gram sizes taken inside each word (default [3, 4]). */
  charNgrams?: readonly number[];
}

// 32-bit FNV-1a over UTF-16 code units: stable across processes and platforms (never a per-process hash).
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * A deterministic, offline embedder: signed feature hashing of words, word bigrams and character
 * n-grams, L2-normalised. It is lexical, not semantic — texts sharing words and word pieces land near
 * each other — and needs no model or network, which makes it the embedded default and keeps runs
 * reproducible. Plug a model-backed {@link Embedder} in for semantic similarity.
 */
export class HashingEmbedder implements Embedder {
  readonly name = "hashing";
  readonly version = "1";
  readonly dim: number;
  readonly #ngrams: readonly number[];

  constructor(options: HashingEmbedderOptions = {}) {
    const dim = options.dim ?? 384;
    if (!Number.isInteger(dim) || dim < 8 || dim > 65536) throw new RangeError(`dim must be an integer in [8, 65536], got ${dim}`);
    const ngrams = options.charNgrams ?? [3, 4];
    if (ngrams.some((n) => !Number.isInteger(n) || n < 2 || n > 8)) throw new RangeError("charNgrams must be integers in [2, 8]");
    this.dim = dim;
    this.#ngrams = ngrams;
  }

  /** Embeds one text synchronously (the async {@link embed} wraps it for the interface). */
  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dim);
    const words = (text.toLowerCase().match(WORD) ?? []) as string[];
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature, 0);
      const sign = (fnv1a(feature, 0x9e3779b9) & 1) === 0 ? 1 : -1;
      v[h % this.dim]! += sign * weight;
    };
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      add(`w:${word}`, 1);
      if (i > 0) add(`b:${words[i - 1]} ${word}`, 0.5);
      const padded = `<${word}>`;
      for (const n of this.#ngrams) {
        for (let j = 0; j + n <= padded.length; j++) add(`c${n}:${padded.slice(j, j + n)}`, 0.25);
      }
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    if (norm === 0) {
      v[0] = 1; // an empty text still needs a direction for cosine similarity
      return v;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i]! *= scale;
    return v;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}
