import { spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, statSync, truncateSync, writeSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Collection, openCollection, VesperError } from "../src/index.js";
// @ts-expect-error — a plain ESM script shared with the soak run
import { crashLoop } from "../scripts/crash-harness.mjs";
import { clusteredVectors, tempDir } from "./helpers.js";

const options = { dim: 16, flatThreshold: 100 } as const;

async function fill(c: Collection, n: number) {
  const vectors = clusteredVectors(n, 16, 8, 11);
  await c.upsert(vectors.map((vector, id) => ({ id, vector, text: `doc ${id} group${id % 7}`, metadata: { g: id % 7 } })));
  return vectors;
}

async function searches(c: Collection, vectors: Float32Array[]) {
  const out = [];
  for (const q of vectors.slice(0, 20)) {
    out.push(await c.searchVector(q, { k: 10 }));
    out.push(await c.search({ vector: q, text: "group3 doc" }, { k: 10, efSearch: 40 }));
    out.push(await c.searchText("group5", { k: 10, filter: { g: 5 } }));
  }
  return out;
}

describe("durability", () => {
  it("reopens with identical search results, from the WAL and from a checkpoint", async () => {
    const dir = tempDir();
    const c = await openCollection(dir, options);
    const vectors = await fill(c, 1500);
    await c.remove([3, 4, 5]);
    await c.upsert([{ id: 6, vector: vectors[0]!, text: "replaced" }]);
    const before = await searches(c, vectors);
    await c.flush();
    await c.close();

    const reopened = await openCollection(dir, options);
    expect(await searches(reopened, vectors)).toEqual(before);
    const stats = await reopened.stats();
    expect(stats).toMatchObject({ count: 1497, persistent: true, durability: "commit" });
    expect(stats.recovery.checkpointLsn).toBeGreaterThan(0); // close() checkpointed
    expect(stats.recovery.replayedBatches).toBe(0);
    // A write after reopen goes to the WAL; the next open replays it on top of the checkpoint.
    await reopened.upsert([{ id: 9999, text: "after reopen" }]);
    const after = await searches(reopened, vectors); // BM25 statistics changed with the new document
    await reopened.flush();
    await reopened.close();

    const third = await openCollection(dir, options);
    expect((await third.get(9999))?.text).toBe("after reopen");
    expect(await searches(third, vectors)).toEqual(after);
    await third.close();
  });

  it("replays the WAL after a crash without a checkpoint", async () => {
    const dir = tempDir();
    // A child process writes, acknowledges, and dies without closing.
    const script = `
      import { openCollection } from ${JSON.stringify(path.resolve("dist/index.js"))};
      const c = await openCollection(${JSON.stringify(dir)}, { dim: 4 });
      await c.upsert([{ id: 1, vector: [1, 0, 0, 0], text: "one" }, { id: 2, key: "k2", text: "two" }]);
      await c.remove([1]);
      await c.upsert([{ id: 3, vector: [0, 1, 0, 0], metadata: { x: 1 } }]);
      process.kill(process.pid, "SIGKILL");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    expect(r.signal).toBe("SIGKILL");
    const c = await openCollection(dir, { dim: 4 });
    const stats = await c.stats();
    expect(stats.recovery).toMatchObject({ checkpointLsn: 0, replayedBatches: 3, truncated: false });
    expect(await c.count()).toBe(2);
    expect(await c.get(1)).toBeUndefined();
    expect((await c.get("k2"))?.text).toBe("two");
    expect((await c.get(3))?.metadata).toEqual({ x: 1 });
    await c.close();
  });

  it("reopens fast after a crash and catches up to the exact graph of an uninterrupted run", async () => {
    const dir = tempDir();
    const opts = { dim: 16, flatThreshold: 100, hnsw: { efConstruction: 64 } };
    const script = `
      import { openCollection } from ${JSON.stringify(path.resolve("dist/index.js"))};
      import { clusteredVectors } from ${JSON.stringify(path.resolve("scripts/test-data.mjs"))};
      const c = await openCollection(${JSON.stringify(dir)}, ${JSON.stringify(opts)});
      const vectors = clusteredVectors(3000, 16, 12, 21);
      for (let i = 0; i < 3000; i += 100) {
        await c.upsert(vectors.slice(i, i + 100).map((vector, j) => ({ id: i + j, vector, metadata: { g: (i + j) % 4 } })));
        if (i === 1000) await c.checkpoint();
      }
      process.kill(process.pid, "SIGKILL");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    expect(r.signal).toBe("SIGKILL");

    const vectors = clusteredVectors(3000, 16, 12, 21);
    const reference = await openCollection(tempDir(), opts);
    for (let i = 0; i < 3000; i += 100) {
      await reference.upsert(vectors.slice(i, i + 100).map((vector, j) => ({ id: i + j, vector, metadata: { g: (i + j) % 4 } })));
    }
    const recovered = await openCollection(dir, opts);
    const stats = await recovered.stats();
    expect(stats.count).toBe(3000);
    expect(stats.recovery.replayedBatches).toBe(19); // batches after the checkpoint at 1 100 docs
    const queries = vectors.slice(0, 30);
    // Results are complete while the graph catches up (queued vectors are compared exactly)…
    for (const q of queries) {
      const hits = await recovered.searchVector(q, { k: 5, filter: { g: 1 } });
      expect(hits).toHaveLength(5);
    }
    let waited = 0;
    while ((await recovered.stats()).unindexed > 0 && waited++ < 500) await new Promise((r) => setTimeout(r, 10));
    expect((await recovered.stats()).hnswNodes).toBe(3000);
    // …and then the graph is the one an uninterrupted run built: identical answers.
    for (const q of queries) {
      expect(await recovered.searchVector(q, { k: 10, efSearch: 16 })).toEqual(await reference.searchVector(q, { k: 10, efSearch: 16 }));
    }
    await recovered.close();
    await reference.close();
  });

  it("cuts a torn WAL tail and reports it", async () => {
    const dir = tempDir();
    const script = `
      import { openCollection } from ${JSON.stringify(path.resolve("dist/index.js"))};
      const c = await openCollection(${JSON.stringify(dir)}, { dim: 2 });
      await c.upsert([{ id: 1, text: "kept" }]);
      await c.upsert([{ id: 2, text: "torn" }]);
      process.kill(process.pid, "SIGKILL");`;
    spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    const wal = path.join(dir, "wal");
    const segment = path.join(wal, readdirSync(wal).sort().at(-1)!);
    truncateSync(segment, statSync(segment).size - 3); // tear the last frame
    const c = await openCollection(dir, { dim: 2 });
    const { recovery } = await c.stats();
    expect(recovery.truncated).toBe(true);
    expect(recovery.truncatedFile).toMatch(/\.log$/);
    expect(recovery.reason).toBeTruthy();
    expect(await c.count()).toBe(1);
    expect((await c.get(1))?.text).toBe("kept");
    await c.upsert([{ id: 3, text: "new" }]); // the log continues cleanly after the cut
    await c.close();
    const again = await openCollection(dir, { dim: 2 });
    expect(await again.count()).toBe(2);
    await again.close();
  });

  it("refuses corruption in the middle of the WAL, naming file and offset", async () => {
    const dir = tempDir();
    const script = `
      import { openCollection } from ${JSON.stringify(path.resolve("dist/index.js"))};
      const c = await openCollection(${JSON.stringify(dir)}, { dim: 2 });
      for (let i = 0; i < 5; i++) await c.upsert([{ id: i, text: "doc " + i }]);
      process.kill(process.pid, "SIGKILL");`;
    spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    const wal = path.join(dir, "wal");
    const segment = path.join(wal, readdirSync(wal).sort().at(-1)!);
    const fd = openSync(segment, "r+");
    writeSync(fd, Buffer.from([0xff]), 0, 1, 30); // inside the first batch's payload
    closeSync(fd);
    const e = await openCollection(dir, { dim: 2 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(VesperError);
    expect((e as VesperError).codeName).toBe("CORRUPTION");
    expect((e as VesperError).message).toMatch(/\.log at offset \d+/);
  });

  it("snapshots and restores, durably", async () => {
    const dir = tempDir();
    const c = await openCollection(dir, { dim: 2 });
    await c.upsert([{ id: 1, text: "v1" }, { id: 2, text: "two" }]);
    await c.snapshot("before");
    await c.upsert([{ id: 1, text: "v2" }]);
    await c.remove([2]);
    expect(await c.listSnapshots()).toEqual([{ label: "before", lsn: expect.any(Number) }]);
    await expect(c.snapshot("before")).rejects.toMatchObject({ codeName: "CONFLICT" });
    await expect(c.snapshot("../escape")).rejects.toMatchObject({ codeName: "INVALID_ARGUMENT" });
    await expect(c.restore("missing")).rejects.toMatchObject({ codeName: "NOT_FOUND" });
    await c.restore("before");
    expect((await c.get(1))?.text).toBe("v1");
    expect(await c.count()).toBe(2);
    await c.close();
    const reopened = await openCollection(dir, { dim: 2 });
    expect((await reopened.get(1))?.text).toBe("v1");
    expect((await reopened.get(2))?.text).toBe("two");
    await reopened.close();
  });

  it("compacts tombstones away, keeping results", async () => {
    const dir = tempDir();
    const c = await openCollection(dir, options);
    const vectors = await fill(c, 600);
    await c.remove(Array.from({ length: 300 }, (_, i) => i * 2));
    const before = await searches(c, vectors);
    expect((await c.stats()).tombstones).toBe(300);
    await c.compact();
    const stats = await c.stats();
    expect(stats.tombstones).toBe(0);
    expect(stats.count).toBe(300);
    expect((await searches(c, vectors)).map((r) => r.map((h) => h.id))).toEqual(before.map((r) => r.map((h) => h.id)));
    await c.close();
  });

  it("keeps one writer process per directory", async () => {
    const dir = tempDir();
    const c = await openCollection(dir, { dim: 2 });
    const script = `
      import { openCollection } from ${JSON.stringify(path.resolve("dist/index.js"))};
      try { await openCollection(${JSON.stringify(dir)}, { dim: 2 }); console.log("opened"); }
      catch (e) { console.log(e.codeName + ": " + e.message); }`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stdout).toMatch(/^LOCKED: collection directory .* is already open in another process \(pid \d+\)/);
    await c.close();
    const after = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(after.stdout.trim()).toBe("opened");
  });

  it("rejects reopening with another dim or metric", async () => {
    const dir = tempDir();
    await (await openCollection(dir, { dim: 3 })).close();
    await expect(openCollection(dir, { dim: 4 })).rejects.toThrow(/has dim 3 and metric cosine, opened with dim 4/);
    await expect(openCollection(dir, { dim: 3, metric: "l2" })).rejects.toThrow(/opened with dim 3 and metric l2/);
    await expect(openCollection(dir, { dim: 3, durability: { mode: "sometimes" as never } })).rejects.toThrow(/unknown durability mode/);
  });

  it("checkpoints automatically once the WAL passes its size limit", async () => {
    const dir = tempDir();
    const c = await openCollection(dir, { dim: 8, durability: { checkpointWalBytes: 12 * 1024, walSegmentBytes: 4096 } });
    const vectors = clusteredVectors(400, 8, 4, 5);
    for (let i = 0; i < vectors.length; i += 10) {
      await c.upsert(vectors.slice(i, i + 10).map((vector, j) => ({ id: i + j, vector, text: `chunk ${i + j}` })));
    }
    const stats = await c.stats();
    expect(stats.checkpointLsn).toBeGreaterThan(0);
    expect(stats.walBytes).toBeLessThan(20 * 1024); // old segments were dropped (29 KB were written)
    await c.close();
    const reopened = await openCollection(dir, { dim: 8 });
    expect(await reopened.count()).toBe(400);
    expect((await reopened.stats()).recovery.replayedBatches).toBe(0);
    await reopened.close();
  });

  it("compacts automatically once tombstones pass the ratio", async () => {
    const c = await openCollection(tempDir(), { dim: 4, durability: { compactRatio: 0.3, compactMinTombstones: 10 } });
    await c.upsert(Array.from({ length: 40 }, (_, id) => ({ id, vector: [1, id, 0, 1], text: `t${id}` })));
    await c.remove(Array.from({ length: 12 }, (_, i) => i)); // 12 / 40 = 0.3: not past it yet
    expect((await c.stats()).tombstones).toBe(12);
    await c.remove([12]); // 13 / 40 > 0.3
    const stats = await c.stats();
    expect(stats.tombstones).toBe(0);
    expect(stats.count).toBe(27);
    expect((await c.searchText("t20")).map((h) => h.id)).toEqual([20]);
    await c.close();
  });

  it("durability none keeps state across a clean close, flush mode across a crash", async () => {
    const dir = tempDir();
    const none = await openCollection(dir, { dim: 2, durability: { mode: "none" } });
    await none.upsert([{ id: 1, text: "saved at close" }]);
    expect((await none.stats()).walBytes).toBe(0);
    await none.close();
    const reopened = await openCollection(dir, { dim: 2 });
    expect((await reopened.get(1))?.text).toBe("saved at close");
    await reopened.close();

    const flushDir = tempDir();
    const script = `
      import { openCollection } from ${JSON.stringify(path.resolve("dist/index.js"))};
      const c = await openCollection(${JSON.stringify(flushDir)}, { dim: 2, durability: { mode: "flush" } });
      await c.upsert([{ id: 7, text: "in the OS page cache" }]);
      process.kill(process.pid, "SIGKILL");`;
    spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    const flushed = await openCollection(flushDir, { dim: 2 });
    expect((await flushed.get(7))?.text).toBe("in the OS page cache");
    await flushed.close();
  });

  it("lets concurrent commit writers share fsyncs and all resolve durably", async () => {
    const dir = tempDir();
    const c = await openCollection(dir, { dim: 4, durability: { mode: "commit", groupCommitMs: 2 } });
    await Promise.all(Array.from({ length: 64 }, (_, id) => c.upsert([{ id, vector: [1, 0, 0, id] }])));
    expect(await c.count()).toBe(64);
    const { lastLsn } = await c.stats();
    expect(lastLsn).toBeGreaterThanOrEqual(64 * 2); // a data and a commit frame per batch
    await c.close();
    const reopened = await openCollection(dir, { dim: 4 });
    expect(await reopened.count()).toBe(64);
    await reopened.close();
  });

  it("loses no acknowledged write across 50 SIGKILLs", async () => {
    const figures = await crashLoop({ kills: 50, seed: 3 });
    expect(figures.kills).toBe(50);
    expect(figures.batches).toBeGreaterThan(50);
  }, 300_000);
});
