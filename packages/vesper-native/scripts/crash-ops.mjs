// A deterministic stream of write batches for crash testing: batch n is a pure function of (seed, n),
// so a writer process and the checker agree on every write without talking to each other.
import { rng } from "./test-data.mjs";

export const DIM = 8;
const IDS = 1500;
const WORDS = ["wal", "fsync", "commit", "torn", "tail", "graph", "index", "vector", "token", "crash", "replay", "snapshot"];

/** Collection options shared by the writer and the reference (compaction off: tested elsewhere). */
export const crashOptions = (mode = "commit") => ({
  dim: DIM,
  durability: { mode, checkpointWalBytes: 256 * 1024, walSegmentBytes: 64 * 1024, compactMinTombstones: 1e9 },
});

/**
 * Batch number `n`: one engine write — an upsert of 1–16 documents (ids repeat, so some replace earlier
 * ones) or, one time in eight, a removal of 1–4 ids.
 */
export function batch(seed, n) {
  const r = rng(seed * 1_000_003 + n);
  const size = 1 + Math.floor(r() * 16);
  if (r() < 0.125) return { remove: Array.from({ length: 1 + (size % 4) }, () => Math.floor(r() * IDS)) };
  const docs = Array.from({ length: size }, () => {
    const id = Math.floor(r() * IDS);
    const vector = Float32Array.from({ length: DIM }, () => r() * 2 - 1);
    const text = Array.from({ length: 3 + Math.floor(r() * 6) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(" ");
    return { id, vector, text, metadata: { group: id % 5, batch: n } };
  });
  return { docs };
}

/** Applies a batch as one atomic engine write. */
export async function applyBatch(collection, b) {
  if (b.remove) await collection.remove(b.remove);
  else await collection.upsert(b.docs);
}
