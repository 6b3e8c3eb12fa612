import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
export { clusteredVectors } from "../scripts/test-data.mjs";

/** A fresh temporary directory for one collection. */
export function tempDir(prefix = "vesper-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function normalized(v: ArrayLike<number>): number[] {
  const n = Math.sqrt(dot(v, v));
  return Array.from(v, (x) => x / n);
}
