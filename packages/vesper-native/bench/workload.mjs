// The seeded benchmark workload (docs/benchmarks.md, TARGETS.md): clustered low-rank 384-d vectors,
// short Zipf texts, an integer tag (10 values) and a string field, plus the queries. A pure function
// of its parameters, so every child process regenerates exactly the same data.

export const DIM = 384;
const LATENT = 64; // intrinsic dimension, mixed into DIM by a fixed random matrix
const CENTROIDS = 300;
const SPREAD = 1.0; // within-cluster spread in latent space (centroids are N(0, 1))
// Per-coordinate noise σ added after mixing (a mixed coordinate has variance 1 + SPREAD² = 2).
// Calibrated so that hnswlib (M 16, efC 128) on 50k docs reaches recall@10 ≈ 0.93 / 0.96 / 0.98 at
// ef 32 / 64 / 128: hard enough to separate the systems, far from i.i.d. vectors where recall collapses.
const NOISE = 1.5;
const VOCAB = 5000;
const ZIPF_S = 1.0;
const TOPIC_WORDS = 40; // each cluster favours its own words...
const TOPIC_SHARE = 0.3; // ...for this share of its text
const LANGS = ["ts", "js", "py", "go", "rs", "java", "c", "cpp"];
// Skip these words: real stop words that a CV-syllable generator could produce, plus the Vesper list.
const AVOID = new Set("sale some more made same note came game gone home like line lone make mine move name never none".split(" "));

/** mulberry32, shared with the package's tests and crash runs. */
import { rng } from "../scripts/test-data.mjs";
export { rng };

/** VOCAB distinct synthetic words of 2–3 consonant–vowel syllables plus a final consonant. */
function vocabulary(r) {
  const C = "bdfgklmnprstvz", V = "aeiou";
  const words = new Set();
  while (words.size < VOCAB) {
    let w = "";
    const syllables = 2 + Math.floor(r() * 2);
    for (let s = 0; s < syllables; s++) w += C[Math.floor(r() * C.length)] + V[Math.floor(r() * V.length)];
    w += C[Math.floor(r() * C.length)];
    if (!AVOID.has(w)) words.add(w);
  }
  return [...words];
}

/** Draws ranks 0..n-1 with P(rank) ∝ 1 / (rank + 1)^s, by binary search over the CDF. */
function zipf(r, n, s) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const u = r() * sum;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Standard normal samples from a uniform source (Box–Muller; both values of each pair are used). */
function gaussian(uniform) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const u = Math.max(uniform(), Number.MIN_VALUE);
    const angle = 2 * Math.PI * uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** One unit vector around `centroid`: latent = centroid + spread·N(0,I), x = latent·W + noise, normalised. */
function sampleVector(out, offset, centroid, mix, gauss) {
  const z = new Float64Array(LATENT);
  for (let j = 0; j < LATENT; j++) z[j] = centroid[j] + SPREAD * gauss();
  let norm = 0;
  for (let d = 0; d < DIM; d++) {
    let x = NOISE * gauss();
    for (let j = 0; j < LATENT; j++) x += z[j] * mix[j * DIM + d];
    out[offset + d] = x;
    norm += x * x;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < DIM; d++) out[offset + d] *= inv;
}

/**
 * The workload: `docs` documents and `queries` (+ `warmup`) queries, all from `seed`.
 * Vectors are one flat Float32Array (row i = doc i, unit length); `vector(i)` is a view without copying.
 */
export function generateWorkload({ docs: n, queries: nq = 1000, warmup = 200, seed = 20261124 }) {
  const gauss = gaussian(rng(seed));
  const mix = new Float64Array(LATENT * DIM);
  for (let i = 0; i < mix.length; i++) mix[i] = gauss() / Math.sqrt(LATENT);
  const centroids = Array.from({ length: CENTROIDS }, () => Float64Array.from({ length: LATENT }, gauss));

  const words = vocabulary(rng(seed + 1));
  const textRng = rng(seed + 2);
  const globalWord = zipf(textRng, VOCAB, ZIPF_S);
  const topicWord = zipf(textRng, TOPIC_WORDS, 1.0);
  // Cluster c's topic words: a fixed random slice of the vocabulary.
  const topics = Array.from({ length: CENTROIDS }, () => Array.from({ length: TOPIC_WORDS }, () => Math.floor(textRng() * VOCAB)));
  const word = (cluster) => (textRng() < TOPIC_SHARE ? topics[cluster][topicWord()] : globalWord());

  const pick = rng(seed + 3);
  const vectors = new Float32Array(n * DIM);
  const texts = new Array(n);
  const tags = new Uint8Array(n);
  const langs = new Array(n);
  for (let i = 0; i < n; i++) {
    const cluster = Math.floor(pick() * CENTROIDS);
    sampleVector(vectors, i * DIM, centroids[cluster], mix, gauss);
    const length = 15 + Math.floor(textRng() * 11); // 15..25 words, ~20 on average
    const t = new Array(length);
    for (let w = 0; w < length; w++) t[w] = words[word(cluster)];
    texts[i] = t.join(" ");
    tags[i] = Math.floor(pick() * 10);
    langs[i] = LANGS[Math.floor(pick() * LANGS.length)];
  }

  // Queries: fresh draws from the same distribution (never copies of documents). Text: 3 distinct
  // terms from the documents' word distribution, skipping the 20 most frequent (stop-word-like) ranks.
  const total = nq + warmup;
  const qVectors = new Float32Array(total * DIM);
  const qTexts = new Array(total);
  const qTags = new Uint8Array(total);
  for (let q = 0; q < total; q++) {
    const cluster = Math.floor(pick() * CENTROIDS);
    sampleVector(qVectors, q * DIM, centroids[cluster], mix, gauss);
    const terms = new Set();
    while (terms.size < 3) {
      const w = word(cluster);
      if (w >= 20) terms.add(words[w]);
    }
    qTexts[q] = [...terms].join(" ");
    qTags[q] = q % 10;
  }
  const query = (q) => ({
    vector: qVectors.subarray(q * DIM, (q + 1) * DIM),
    text: qTexts[q],
    tag: qTags[q],
  });

  return {
    n,
    dim: DIM,
    vectors,
    texts,
    tags,
    langs,
    vector: (i) => vectors.subarray(i * DIM, (i + 1) * DIM),
    /** Timed queries. */
    queries: Array.from({ length: nq }, (_, q) => query(warmup + q)),
    /** Queries used only to warm up before timing. */
    warmupQueries: Array.from({ length: warmup }, (_, q) => query(q)),
    description: {
      docs: n,
      queries: nq,
      dim: DIM,
      latent: LATENT,
      centroids: CENTROIDS,
      spread: SPREAD,
      noise: NOISE,
      vocab: VOCAB,
      zipf: ZIPF_S,
      seed,
    },
  };
}
