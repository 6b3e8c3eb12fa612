// Vesper reopening a collection after a crash: the build process was killed (SIGKILL) without
// closing, so opening loads the newest checkpoint and replays the WAL written after it.
import { rssMB } from "../measure.mjs";
import { collectionOptions } from "./vesper.mjs";

const { openCollection } = await import("../../dist/index.js");

export async function run(w, ctx) {
  const out = { system: "Vesper reopen", docs: ctx.docs };
  const rssBefore = rssMB();
  const start = process.hrtime.bigint();
  try {
    const col = await openCollection(ctx.dir, collectionOptions(ctx.dim, ctx));
    out.openMs = Number(process.hrtime.bigint() - start) / 1e6;
    out.rssDeltaMB = rssMB() - rssBefore;
    const stats = await col.stats();
    out.count = stats.count;
    out.recovery = stats.recovery;
    out.walBytes = stats.walBytes;
    await col.close();
  } catch (error) {
    out.error = String(error?.message ?? error).split("\n")[0];
  }
  return out;
}
