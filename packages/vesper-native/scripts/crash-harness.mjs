// Kill-and-recover loop shared by the crash test (≥ 50 kills) and the soak script (≥ 500 kills).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openCollection } from "../dist/index.js";
import { applyBatch, batch, crashOptions, DIM } from "./crash-ops.mjs";

const writer = path.join(path.dirname(fileURLToPath(import.meta.url)), "crash-writer.mjs");

/** Runs the writer until it has acknowledged at least one batch past `first`, then SIGKILLs it. */
function runAndKill(dir, seed, first, killAfterMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir, String(seed), String(first)], { stdio: ["ignore", "pipe", "pipe"] });
    let acked = first - 1;
    let begun = first - 1;
    let opened = false;
    let buffer = "";
    let stderr = "";
    let timer;
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === "open" && !opened) {
          opened = true;
          timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        } else if (line.startsWith("begin ")) begun = Number(line.slice(6));
        else if (line.startsWith("ack ")) acked = Number(line.slice(4));
      }
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
      else resolve({ acked, begun });
    });
  });
}

/** Everything a document holds, in a comparable form. */
function snapshotOf(doc) {
  return doc && JSON.stringify({ text: doc.text, metadata: doc.metadata, vector: Array.from(doc.vector ?? []) });
}

async function sameState(recovered, reference) {
  if ((await recovered.count()) !== (await reference.count())) return false;
  for (let id = 0; id < 1500; id++) {
    if (snapshotOf(await recovered.get(id)) !== snapshotOf(await reference.get(id))) return false;
  }
  return true;
}

async function sameSearches(recovered, reference, seed) {
  const queries = [0, 1, 2].map((q) => Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed + q * 7 + i)));
  for (const vector of queries) {
    for (const run of [
      (c) => c.searchVector(vector, { k: 10 }),
      (c) => c.searchText("fsync torn tail", { k: 10, filter: { group: { $lte: 2 } } }),
      (c) => c.search({ text: "commit replay", vector }, { k: 10 }),
    ]) {
      if (JSON.stringify(await run(recovered)) !== JSON.stringify(await run(reference))) return false;
    }
  }
  return true;
}

/**
 * Kills a writer `kills` times at random moments; after each kill reopens the directory and checks that
 * it holds exactly the acknowledged batches (or those plus the one in flight, which may have committed)
 * and answers searches exactly like a reference built from those batches. Throws on the first violation.
 */
export async function crashLoop({ kills, seed = 1, minMs = 30, maxMs = 250, log = () => {} }) {
  const root = mkdtempSync(path.join(tmpdir(), "vesper-crash-"));
  const dir = path.join(root, "db");
  const reference = await openCollection(path.join(root, "reference"), crashOptions("none"));
  let next = 0; // first batch not in the reference
  const figures = { kills: 0, batches: 0, inFlightCommitted: 0, truncatedTails: 0, maxRecoveryMs: 0, totalRecoveryMs: 0 };
  let pick = seed;
  try {
    for (let k = 0; k < kills; k++) {
      pick = (pick * 1103515245 + 12345) % 2147483648;
      const killAfter = minMs + (pick % (maxMs - minMs));
      const { acked, begun } = await runAndKill(dir, seed, next, killAfter);
      figures.kills++;
      for (; next <= acked; next++) await applyBatch(reference, batch(seed, next));
      const recovered = await openCollection(dir, crashOptions());
      try {
        const stats = await recovered.stats();
        figures.maxRecoveryMs = Math.max(figures.maxRecoveryMs, stats.recovery.durationMs);
        figures.totalRecoveryMs += stats.recovery.durationMs;
        if (stats.recovery.truncated) figures.truncatedTails++;
        if (!(await sameState(recovered, reference))) {
          // The batch in flight may have committed (all of it, never part of it).
          if (begun !== acked + 1) throw new Error(`kill ${k}: state differs from the ${acked + 1} acknowledged batches`);
          await applyBatch(reference, batch(seed, next));
          next++;
          figures.inFlightCommitted++;
          if (!(await sameState(recovered, reference))) {
            throw new Error(`kill ${k}: recovered state is neither the acknowledged prefix nor it plus batch ${begun} (lost or partial write)`);
          }
        }
        if (!(await sameSearches(recovered, reference, k))) throw new Error(`kill ${k}: search results differ from the reference`);
      } finally {
        await recovered.close();
      }
      figures.batches = next;
      log(figures);
    }
    return figures;
  } finally {
    await reference.close();
    rmSync(root, { recursive: true, force: true });
  }
}
