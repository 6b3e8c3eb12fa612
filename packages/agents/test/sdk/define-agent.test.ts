import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AgentDefinitionError, defineAgent, MockModel, PayloadValidationError, PromptLibrary, type AgentKitContext } from "../../src/index.js";
import { journalingContext } from "./journaling-context.js";

const schema = {
  type: "object",
  properties: { workspace: { type: "string" }, count: { type: "integer", minimum: 1 } },
  required: ["workspace"],
  additionalProperties: false,
};

describe("defineAgent", () => {
  it("makes an orchestrator Agent whose validatePayload applies the JSON Schema with pointers", () => {
    const agent = defineAgent({ name: "hello", version: "1.0.0", capabilities: ["greet"], payloadSchema: schema, run: async () => ({ payload: {} }) });
    expect(agent).toMatchObject({ name: "hello", version: "1.0.0", capabilities: ["greet"], model: undefined });
    expect(() => agent.validatePayload({ workspace: "/w", count: 2 })).not.toThrow();
    const err = (() => {
      try {
        agent.validatePayload({ count: 0, extra: true });
      } catch (e) {
        return e as PayloadValidationError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(PayloadValidationError);
    expect(err?.code).toBe("ValidationFailure");
    expect(err?.issues.map((i) => i.pointer).sort()).toEqual(["/count", "/extra", "/workspace"]);
    expect(err?.message).toMatch(/agent "hello": invalid payload: .*\/count must be >= 1/);
  });

  it("accepts a validator function and hands its result to run as ctx.payload", async () => {
    const agent = defineAgent<{ n: number }>({
      name: "double",
      version: "1",
      capabilities: [],
      payloadSchema: (x) => {
        if (typeof x !== "object" || x === null || typeof (x as { n?: unknown }).n !== "number") throw new Error("n must be a number");
        return { n: (x as { n: number }).n };
      },
      run: async (_task, ctx) => ({ payload: { artifacts: [{ kind: "text", title: "double", content: String(ctx.payload.n * 2) }] } }),
    });
    expect(() => agent.validatePayload({ n: "x" })).toThrow(/agent "double": invalid payload: \/ n must be a number/);
    const ctx = journalingContext({ payload: { n: 21 } });
    const out = await agent.run(ctx.task, ctx);
    expect(out.payload.artifacts?.[0]).toMatchObject({ content: "42" });
    await expect(agent.run({ ...ctx.task, payload: {} }, ctx)).rejects.toBeInstanceOf(PayloadValidationError);
  });

  it("gives ctx.model only when a provider is configured, through ctx.callModel", async () => {
    let seen: AgentKitContext | undefined;
    const agent = defineAgent({ name: "m", version: "1", capabilities: [], run: async (_t, ctx) => ((seen = ctx), { payload: {} }) });
    const ctx = journalingContext();
    await agent.run(ctx.task, ctx);
    expect(seen?.model).toBeUndefined();
    expect("model" in (seen ?? {})).toBe(false);

    const withModel = agent.withModel(new MockModel(["hi"]));
    expect(withModel.model).toEqual({ id: "mock-model", params: {} });
    expect(withModel.provider).toBeInstanceOf(MockModel);
    const ctx2 = journalingContext();
    await withModel.run(ctx2.task, ctx2);
    expect((await seen?.model?.chat("hello"))?.content).toBe("hi");
    expect(ctx2.journal.map((e) => e.kind)).toEqual(["model"]);
  });

  it("delegates the orchestrator context's fields and methods", async () => {
    let seen: AgentKitContext | undefined;
    const agent = defineAgent({ name: "d", version: "1", capabilities: [], run: async (_t, ctx) => ((seen = ctx), { payload: {} }) });
    const ctx = journalingContext();
    await agent.run(ctx.task, ctx);
    expect(seen).toMatchObject({ runId: "run-1", attempt: 1, replaying: false, task: ctx.task, signal: ctx.signal });
    expect(seen?.dependencies).toBe(ctx.dependencies);
    expect(seen?.budget).toBe(ctx.budget);
    expect(seen?.logger).toBe(ctx.logger);
    expect(seen?.clock).toBe(ctx.clock);
    expect(seen?.random).toBe(ctx.random);
    expect(seen?.trace).toBe(ctx.trace);
    expect(seen?.context).toBeUndefined();
    expect(await seen?.effect("custom", { a: 1 }, async () => 5)).toBe(5);
    expect(ctx.journal).toEqual([{ kind: "tool", name: "custom", input: { a: 1 }, output: 5 }]);
  });

  it("rejects bad definitions with what is wrong", () => {
    const run = async () => ({ payload: {} });
    expect(() => defineAgent(null as never)).toThrow(AgentDefinitionError);
    expect(() => defineAgent({ name: "", version: "1", capabilities: [], run })).toThrow(/"name" must be a non-empty identifier/);
    expect(() => defineAgent({ name: "a", version: "", capabilities: [], run })).toThrow(/agent "a": "version"/);
    expect(() => defineAgent({ name: "a", version: "1", capabilities: [""], run })).toThrow(/"capabilities" must be an array of non-empty strings/);
    expect(() => defineAgent({ name: "a", version: "1", capabilities: [], run: 3 as never })).toThrow(/"run" must be a function/);
    expect(() => defineAgent({ name: "a", version: "1", capabilities: [], run, payloadSchema: { type: "nonsense" } })).toThrow(/payloadSchema does not compile/);
    expect(() => defineAgent({ name: "a", version: "1", capabilities: [], run, payloadSchema: 5 as never })).toThrow(/must be a JSON Schema object or a function/);
  });
});

describe("AgentKitContext sandbox, workspace and prompts", () => {
  const workspace = mkdtempSync(path.join(tmpdir(), "vltair-kit-"));
  writeFileSync(path.join(workspace, "a.txt"), "alpha");
  const prompts = mkdtempSync(path.join(tmpdir(), "vltair-prompts-"));
  writeFileSync(path.join(prompts, "greet.v1.md"), "Hello {{name}}");
  writeFileSync(path.join(prompts, "greet.v2.md"), "Hi {{ name }}, you are {{age}}");
  let last: AgentKitContext<{ workspace: string }> | undefined;
  const agent = defineAgent<{ workspace: string }>({
    name: "kit",
    version: "1",
    capabilities: [],
    prompts: new PromptLibrary(prompts),
    run: async (_t, ctx) => {
      last = ctx;
      const r = await ctx.sandbox.run({ command: process.execPath, args: ["-e", "console.log(require('fs').readFileSync('a.txt','utf8'), process.env.TOKEN)"], workspace: ctx.payload.workspace, env: { TOKEN: "secret-value" } });
      const text = await ctx.workspace.readFile("a.txt");
      await ctx.workspace.writeFile("out/b.txt", text.toUpperCase());
      const files = await ctx.workspace.listFiles();
      const prompt = ctx.prompts.load("greet");
      return { payload: { artifacts: [{ kind: "text", title: prompt.id, content: `${r.stdout.trim()}|${files.join(",")}|${prompt.render({ name: "Ada", age: 36 })}|${String(await ctx.workspace.exists("nope"))}` }] } };
    },
  });

  it("journals sandbox runs without env values, file access and listings; replay touches neither disk nor processes", async () => {
    const ctx = journalingContext({ payload: { workspace } });
    const out = await agent.run(ctx.task, ctx);
    expect(out.payload.artifacts?.[0]).toMatchObject({ title: "greet@v2", content: "alpha secret-value|a.txt,out/b.txt|Hi Ada, you are 36|false" });
    expect(ctx.journal.map((e) => e.name)).toEqual(["sandbox.run", "fs.read", "fs.write", "fs.list", "fs.list"]);
    expect(JSON.stringify(ctx.journal)).not.toContain("secret-value\"");
    expect(ctx.journal[0]?.input).toMatchObject({ env: ["TOKEN"] });
    expect(ctx.journal[2]?.input).toMatchObject({ path: "out/b.txt", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Replay in an empty directory: every answer comes from the journal.
    const empty = mkdtempSync(path.join(tmpdir(), "vltair-kit-empty-"));
    const replay = journalingContext({ payload: { workspace }, replayFrom: ctx.journal });
    const again = await agent.run({ ...replay.task, payload: { workspace } }, replay);
    expect(again).toEqual(out);
    expect(last?.workspace.root).toBe(workspace);
    expect(empty).not.toBe(workspace);
  });

  it("refuses paths that escape the workspace, directly or through a symlink", async () => {
    const ctx = journalingContext({ payload: { workspace } });
    await agent.run(ctx.task, ctx);
    const io = last?.workspace;
    await expect(async () => io?.readFile("../etc/passwd")).rejects.toMatchObject({ name: "WorkspacePathError", code: "ValidationFailure", message: expect.stringMatching(/"..\/etc\/passwd" escapes the workspace root/) });
    await expect(async () => io?.writeFile("/etc/x", "y")).rejects.toThrow(/escapes the workspace root/);
    await expect(async () => io?.writeFile("ok.txt", 5 as never)).rejects.toThrow(/content for "ok.txt" must be a string/);
    await expect(async () => io?.readFile("")).rejects.toThrow(/invalid path/);
    const { symlinkSync } = await import("node:fs");
    symlinkSync(tmpdir(), path.join(workspace, "link"));
    await expect(async () => io?.writeFile("link/evil.txt", "x")).rejects.toThrow(/via a symlink/);
    const other = last?.openWorkspace(prompts);
    expect(await other?.listFiles(".", { recursive: false })).toEqual(["greet.v1.md", "greet.v2.md"]);
  });

  it("fails a bad sandbox spec before anything is journaled", async () => {
    const ctx = journalingContext({ payload: { workspace } });
    await agent.run(ctx.task, ctx);
    const before = ctx.journal.length;
    await expect(async () => last?.sandbox.run({ command: "", workspace })).rejects.toThrow(/"command"/);
    expect(ctx.journal.length).toBe(before);
  });
});

describe("PromptLibrary", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vltair-prompts2-"));
  writeFileSync(path.join(dir, "plan.v1.md"), "Goal: {{goal}}");
  writeFileSync(path.join(dir, "plan.v10.md"), "Goal v10: {{goal}} in {{workspace}}");
  writeFileSync(path.join(dir, "README.md"), "not a prompt");
  mkdirSync(path.join(dir, "sub.v1.md"));

  it("loads the highest version (numerically), or an explicit one", () => {
    const lib = new PromptLibrary(dir);
    expect([...lib.list().entries()]).toEqual([["plan", [1, 10]]]);
    const latest = lib.load("plan");
    expect(latest).toMatchObject({ id: "plan@v10", version: 10, variables: ["goal", "workspace"] });
    expect(lib.load("plan")).toBe(latest);
    expect(lib.load("plan", 1).render({ goal: "ship" })).toBe("Goal: ship");
  });

  it("errors on missing variables, unknown prompts and bad names", () => {
    const lib = new PromptLibrary(dir);
    expect(() => lib.load("plan").render({ goal: "x" })).toThrow(/prompt plan@v10: missing variable\(s\) workspace/);
    expect(() => lib.load("nope")).toThrow(/prompt "nope" not found .*have: none/);
    expect(() => lib.load("plan", 3)).toThrow(/"plan" version 3 not found .*have: v1, v10/);
    expect(() => lib.load("../x")).toThrow(/invalid/);
    expect(new PromptLibrary(path.join(dir, "missing")).list().size).toBe(0);
  });

  it("ships the package's own prompts directory by default", () => {
    expect(new PromptLibrary().dir).toMatch(/packages\/agents\/prompts$/);
  });
});
