import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createJsonLogger, Orchestrator, type ContextStorePort } from "../src/index.js";
import { agent, task, tempDir } from "./helpers.js";

// Real-format samples (not live credentials), assembled so the source holds no literal secret.
const GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const AWS = "AKIA" + "IOSFODNN7EXAMPLE";
const CORP = "corp_" + "9f8e7d6c5b4a";

/** Every file under `dir`, concatenated. */
function allText(dir: string): string {
  let out = "";
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += readFileSync(path.join(e.parentPath, e.name), "latin1");
  }
  return out;
}

describe("redaction", () => {
  it("keeps planted secrets out of the journal, the manifest, the logs and the context store", async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const stored: unknown[] = [];
    const store: ContextStorePort = {
      put: async (doc) => { stored.push(doc); return { id: "d1", version: 1, applied: true }; },
      get: async () => undefined,
      search: async () => [],
    };
    const orch = new Orchestrator({
      dir,
      durability: "flush",
      redaction: { prefixes: ["corp_"] },
      logger: createJsonLogger({ sink: (l) => lines.push(l), level: "debug" }),
      contextStore: store,
    });
    orch.register(agent("leaky", async (t, ctx) => {
      ctx.logger.info("using token", { token: GITHUB, note: `aws ${AWS}` });
      await ctx.context!.put({ kind: "text", key: "notes", content: `deploy with ${CORP}` });
      await ctx.effect("http.get", { auth: `Bearer ${GITHUB}` }, async () => ({ body: `key=${AWS}` }));
      return { payload: { artifacts: [{ kind: "text", title: "out", content: `${GITHUB} ${AWS} ${CORP}` }] } };
    }));
    const run = await orch.startRun({ manifest: { apiKey: GITHUB } });
    const r = await run.submit(task("t", { agent: "leaky", payload: { secret: CORP } }));
    expect(r.type).toBe("AgentResult");
    await orch.close();
    const disk = allText(dir);
    const logs = lines.join("\n");
    const ctx = JSON.stringify(stored);
    for (const secret of [GITHUB, AWS, CORP]) {
      expect(disk).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(ctx).not.toContain(secret);
    }
    expect(disk).toContain("[REDACTED:");
    expect(logs).toContain("using token");
    expect(ctx).toContain("deploy with [REDACTED:");
    const ev = await orch.readJournal(run.runId);
    expect(ev.find((e) => e.type === "ContextWritten")).toMatchObject({ taskId: "t", key: "notes", docId: "d1", version: 1, applied: true });
  });

  it("confines a task's context access to its own scope and global", async () => {
    const stored = { kind: "text" as const, key: "k", content: "v", id: "x", scope: "global", version: 1, writtenAt: 0 };
    const store: ContextStorePort = { put: async () => ({ id: "x", version: 1, applied: true }), get: async () => stored, search: async () => [] };
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", contextStore: store });
    orch.register(agent("ctx", async (_t, ctx) => {
      expect(ctx.context!.scopes).toEqual(["session:s1", "global"]);
      expect(await ctx.context!.get("k", { scope: "global" })).toEqual(stored);
      await ctx.context!.search("q");
      await ctx.context!.put({ kind: "text", key: "k", content: "c" }, { scope: "task:other" });
      return { payload: {} };
    }));
    const r = await orch.submit(task("t", { agent: "ctx", scope: "session:s1" }));
    expect(r).toMatchObject({ error: { code: "ValidationFailure", message: expect.stringMatching(/not "task:other"/) } });
    await orch.close();
  });
});
