// One system measured in its own process (so its memory is not polluted by the others): regenerate
// the seeded workload, build, measure, and send the results (with result ids) to the parent.
import { generateWorkload } from "./workload.mjs";

export async function runChild(spec) {
  const w = spec.workload === false ? null : generateWorkload({ docs: spec.docs, queries: spec.queries });
  const peer = await import(`./peers/${spec.peer}.mjs`);
  const started = Date.now();
  const log = (what) => console.error(`  [${spec.id}] ${what} (${((Date.now() - started) / 1e3).toFixed(0)} s)`);
  const result = await peer.run(w, { ...spec, sections: new Set(spec.sections ?? []), log });
  await new Promise((resolve, reject) => process.send({ ...result, id: spec.id, label: spec.label }, (e) => (e ? reject(e) : resolve())));
  // A crash, not a shutdown: nothing gets closed, flushed or checkpointed on the way out.
  if (spec.crash) process.kill(process.pid, "SIGKILL");
}
