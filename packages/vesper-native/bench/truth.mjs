// Ground truth by exact brute force in JS: dense top-k (cosine = dot of unit vectors), dense top-k
// among docs with the query's tag, and exact BM25 (Vesper's formula).
// The dense pass is split over worker threads (one per core) sharing the vectors.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import os from "node:os";

/** Keeps the `k` best (score desc, id asc) of a stream, in a small sorted array. */
class TopK {
  constructor(k) {
    this.k = k;
    this.ids = [];
    this.scores = [];
  }
  get floor() {
    return this.scores.length < this.k ? -Infinity : this.scores[this.k - 1];
  }
  push(id, score) {
    if (this.scores.length === this.k && !(score > this.floor)) return;
    let i = this.scores.length;
    while (i > 0 && (this.scores[i - 1] < score || (this.scores[i - 1] === score && this.ids[i - 1] > id))) i--;
    this.ids.splice(i, 0, id);
    this.scores.splice(i, 0, score);
    if (this.ids.length > this.k) {
      this.ids.pop();
      this.scores.pop();
    }
  }
}

function denseSlice({ vectors, dim, n, tags, queries, qTags, from, to, k, kDeep }) {
  const out = [];
  for (let q = from; q < to; q++) {
    const qo = q * dim;
    const all = new TopK(kDeep);
    const filtered = new TopK(k);
    for (let i = 0; i < n; i++) {
      const o = i * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let d = 0; d < dim; d += 4) {
        s0 += vectors[o + d] * queries[qo + d];
        s1 += vectors[o + d + 1] * queries[qo + d + 1];
        s2 += vectors[o + d + 2] * queries[qo + d + 2];
        s3 += vectors[o + d + 3] * queries[qo + d + 3];
      }
      const s = s0 + s1 + s2 + s3;
      if (s > all.floor) all.push(i, s);
      if (tags[i] === qTags[q] && s > filtered.floor) filtered.push(i, s);
    }
    out.push({ deep: all.ids, deepScores: all.scores, filtered: filtered.ids });
  }
  return out;
}

if (!isMainThread && workerData?.truthWorker) parentPort.postMessage(denseSlice(workerData));

/**
 * Exact dense truth for every query: `top` (k ids), `deep` (kDeep ids, for hybrid), `filtered`
 * (k ids among docs whose tag equals the query's).
 */
export async function denseTruth(w, { k = 10, kDeep = 100 } = {}) {
  const nq = w.queries.length;
  const shared = (arr) => {
    const s = new arr.constructor(new SharedArrayBuffer(arr.byteLength));
    s.set(arr);
    return s;
  };
  const vectors = shared(w.vectors);
  const tags = shared(w.tags);
  const queries = shared(Float32Array.from(w.queries.flatMap((q) => Array.from(q.vector))));
  const qTags = shared(Uint8Array.from(w.queries.map((q) => q.tag)));
  const threads = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8));
  const per = Math.ceil(nq / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const data = { truthWorker: true, vectors, dim: w.dim, n: w.n, tags, queries, qTags, from: t * per, to: Math.min(nq, (t + 1) * per), k, kDeep };
      return new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: data });
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    }),
  );
  return parts.flat().map((r) => ({ top: r.deep.slice(0, k), deep: r.deep, filtered: r.filtered }));
}

/** Exact BM25 (k1, b; IDF = ln(1 + (N − df + 0.5)/(df + 0.5))) over whitespace-separated words. */
export class ExactBm25 {
  constructor(texts, { k1 = 1.2, b = 0.75 } = {}) {
    this.k1 = k1;
    this.b = b;
    this.n = texts.length;
    this.lengths = new Uint16Array(this.n);
    const postings = new Map(); // term -> Map(doc -> tf)
    let total = 0;
    texts.forEach((text, doc) => {
      const terms = text.split(" ");
      this.lengths[doc] = terms.length;
      total += terms.length;
      for (const t of terms) {
        let p = postings.get(t);
        if (!p) postings.set(t, (p = new Map()));
        p.set(doc, (p.get(doc) ?? 0) + 1);
      }
    });
    this.avgdl = total / this.n;
    this.postings = postings;
  }

  /** All matching docs' scores (OR semantics). */
  scores(text) {
    const acc = new Map();
    for (const term of new Set(text.split(" "))) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (this.n - p.size + 0.5) / (p.size + 0.5));
      for (const [doc, tf] of p) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]) / this.avgdl);
        acc.set(doc, (acc.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return acc;
  }

  /**
   * Top-k ids (score desc, id asc) and `acceptable`: every doc scoring at least the k-th best score
   * (so ties count as correct), with `expected` = how many a correct top-k returns.
   */
  top(text, k) {
    const all = this.scores(text);
    const best = new TopK(k);
    for (const [doc, s] of all) best.push(doc, s);
    const floor = best.scores.length ? best.scores[best.scores.length - 1] * (1 - 1e-5) : Infinity;
    const acceptable = new Set();
    for (const [doc, s] of all) if (s >= floor) acceptable.add(doc);
    return { ids: best.ids, expected: best.ids.length, acceptable };
  }
}
