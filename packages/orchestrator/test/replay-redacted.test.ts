import { describe, expect, it } from "vitest";
import { ManualClock, Orchestrator, createRedactor, type Agent } from "../src/index.js";
import { task, tempDir } from "./helpers.js";

const TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----";

/** Reads a "file" holding secrets, patches it, writes it back by digest, and reports what it saw. */
const patcher: Agent = {
  name: "patcher",
  capabilities: [],
  async run(t, ctx) {
    const source = await ctx.effect("fs.read", { path: "config.ts" }, async () => `const token = "${TOKEN}";\nconst key = \`${PEM}\`;\nconst corp = "corp_internal42";\nexport const limit = 1;\n`);
    const patched = source.replace("limit = 1", "limit = 2");
    await ctx.effect("fs.write", { path: "config.ts", sha256: ctx.digest(patched), lines: patched.split("\n").length }, async () => undefined);
    const log = await ctx.effect("sandbox.run", { argv: ["node", "--test"] }, async () => ({ stdout: `ok 1 - uses ${TOKEN}\nDATABASE_URL=redis://:hunter2pass@cache:6379\n`, log: "full log" }));
    const names = log.stdout.split("\n").filter((l) => l.startsWith("ok")).map((l) => l.slice(5));
    return { payload: { artifacts: [{ kind: "test_result", test_name: names[0]!, status: "pass", log: log.log }, { kind: "text", title: "patched", content: patched }] } };
  },
};

async function record(dir: string, redaction: { prefixes?: string[]; fields?: string[] }): Promise<string> {
  const orch = new Orchestrator({ dir, durability: "flush", seed: 7, clock: new ManualClock(1_000), redaction: createRedactor({ env: {}, ...redaction }) });
  orch.register(patcher);
  const run = await orch.startRun({ runId: "secretive" });
  const outcome = await run.submit(task("t", { agent: "patcher" }));
  expect(outcome.type).toBe("AgentResult");
  await run.finish();
  const journal = JSON.stringify(await orch.readJournal("secretive"));
  for (const secret of [TOKEN, "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun", "hunter2pass"]) expect(journal).not.toContain(secret);
  await orch.close();
  return "secretive";
}

describe("replay of a run whose recorded tool output was redacted", () => {
  it("re-executes the agent on the redacted outputs and reproduces the run (digests of redacted content agree)", async () => {
    const dir = tempDir();
    const runId = await record(dir, {});
    const report = await new Orchestrator({ dir, redaction: createRedactor({ env: {} }) }).replay(runId, { agents: [patcher] });
    expect(report).toMatchObject({ identical: true });
  });

  it("redacts the way the recording did: a replayer without the recording's prefixes and field paths still reproduces it", async () => {
    const dir = tempDir();
    const runId = await record(dir, { prefixes: ["corp_"], fields: ["test_result.log"] });
    const events = await new Orchestrator({ dir }).readJournal(runId);
    expect(events[0]).toMatchObject({ type: "RunStarted", manifest: { redaction: { prefixes: ["corp_"], fields: ["test_result.log"] } } });
    expect(JSON.stringify(events)).not.toContain("corp_internal42");
    for (const replayer of [createRedactor({ env: {} }), createRedactor({ env: {}, prefixes: ["corp_"], fields: ["test_result.log"] }), createRedactor({ env: {}, prefixes: ["zz_"] })]) {
      expect(await new Orchestrator({ dir, redaction: replayer }).replay(runId, { agents: [patcher] })).toMatchObject({ identical: true });
      expect(await new Orchestrator({ dir, redaction: replayer }).replay(runId)).toMatchObject({ identical: true });
    }
  });

  it("compares redacted to redacted: a secret the recording's redactor missed does not make the replay diverge", async () => {
    const dir = tempDir();
    // Recorded with a redactor that knows nothing (as an older version that missed a format would).
    const blind = { redact: <T>(v: T): T => v, redactText: (t: string) => t };
    const orch = new Orchestrator({ dir, durability: "flush", seed: 7, clock: new ManualClock(1_000), redaction: blind });
    orch.register(patcher);
    const run = await orch.startRun({ runId: "leaky" });
    await run.submit(task("t", { agent: "patcher" }));
    await run.finish();
    expect(JSON.stringify(await orch.readJournal("leaky"))).toContain(TOKEN);
    await orch.close();
    expect(await new Orchestrator({ dir, redaction: createRedactor({ env: {} }) }).replay("leaky")).toMatchObject({ identical: true });
  });
});
