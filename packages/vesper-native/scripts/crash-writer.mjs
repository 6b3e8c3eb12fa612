#!/usr/bin/env node
// Child process of the crash test: writes batches from `first` on, forever, with durability commit,
// and reports each batch before it starts ("begin n") and once every write of it resolved ("ack n").
// The parent kills it with SIGKILL at a random moment.
import { openCollection } from "../dist/index.js";
import { applyBatch, batch, crashOptions } from "./crash-ops.mjs";

const [dir, seedText, firstText] = process.argv.slice(2);
const seed = Number(seedText);
const collection = await openCollection(dir, crashOptions());
process.stdout.write("open\n");
for (let n = Number(firstText); ; n++) {
  process.stdout.write(`begin ${n}\n`);
  await applyBatch(collection, batch(seed, n));
  process.stdout.write(`ack ${n}\n`);
}
