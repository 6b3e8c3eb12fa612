import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadPlugins, PluginError, resolvePackageEntry } from "../../src/index.js";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));
const example = path.join(repo, "examples", "plugin-hello");
const agentsPackage = path.join(repo, "packages", "agents");

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vltair-plugins-"));
  projects.push(dir);
  // Plugins import @vltair/agents: make it resolvable from the temp project as an installed package would be.
  mkdirSync(path.join(dir, "node_modules", "@vltair"), { recursive: true });
  symlinkSync(agentsPackage, path.join(dir, "node_modules", "@vltair", "agents"), "dir");
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const agentModule = (name: string) => `import { defineAgent } from "@vltair/agents";
export const ${name.replace(/-/g, "_")} = defineAgent({ name: "${name}", version: "1", capabilities: ["x"], run: async () => ({ payload: {} }) });
`;

describe("loadPlugins", () => {
  it("loads the example plugin by file path from vltair.config.json", async () => {
    const dir = project({});
    // tmpdir and the repo are siblings under /, so the relative path starts with "../".
    const relative = path.relative(dir, path.join(example, "index.mjs"));
    writeFileSync(path.join(dir, "vltair.config.json"), JSON.stringify({ plugins: [relative.startsWith("..") ? relative : `./${relative}`] }));
    const r = await loadPlugins({ cwd: dir });
    expect(r.configFile).toBe(path.join(dir, "vltair.config.json"));
    expect(r.agents.map((a) => a.name)).toEqual(["hello"]);
    expect(r.plugins[0]?.file).toBe(path.join(example, "index.mjs"));
  });

  it("loads the example plugin by package name (installed as a symlink in node_modules) and a relative file", async () => {
    const dir = project({
      "vltair.config.json": JSON.stringify({ plugins: ["vltair-plugin-hello", "./local/agents.mjs"] }),
      "local/agents.mjs": `${agentModule("local-one")}export const more = [${"(await import('./two.mjs')).two"}];\nexport const notAnAgent = 5;\nexport const strings = ["a"];\n`,
      "local/two.mjs": agentModule("two"),
    });
    symlinkSync(example, path.join(dir, "node_modules", "vltair-plugin-hello"), "dir");
    const r = await loadPlugins({ cwd: dir });
    expect(r.plugins.map((p) => p.specifier)).toEqual(["vltair-plugin-hello", "./local/agents.mjs"]);
    expect(r.agents.map((a) => a.name)).toEqual(["hello", "local-one", "two"]);
    const hello = r.agents[0];
    const out = await hello?.run({ type: "AgentTask", id: "t", agent: "hello", payload: { name: "Bo" } }, { effect: (_t: string, _i: unknown, run: () => Promise<unknown>) => run() } as never);
    expect(out?.payload.artifacts?.[0]).toMatchObject({ content: "Hello, Bo!" });
  });

  it("reads vltair.config.mjs, resolving files relative to the config", async () => {
    const dir = project({ "vltair.config.mjs": `export default { plugins: ["./p.mjs"] };\n`, "p.mjs": `${agentModule("from-mjs")}export default from_mjs;\n` });
    const r = await loadPlugins({ cwd: dir });
    expect(r.configFile).toBe(path.join(dir, "vltair.config.mjs"));
    expect(r.agents.map((a) => a.name)).toEqual(["from-mjs"]);
  });

  it("returns no plugins without a config, and accepts an explicit config", async () => {
    const dir = project({ "p.mjs": agentModule("explicit") });
    expect(await loadPlugins({ cwd: dir })).toEqual({ configFile: undefined, plugins: [], agents: [] });
    const r = await loadPlugins({ cwd: dir, config: { plugins: ["./p.mjs"] } });
    expect(r.agents.map((a) => a.name)).toEqual(["explicit"]);
  });

  it.each([
    [{ "vltair.config.json": "{" }, "ConfigInvalid", /vltair\.config\.json: not valid JSON/],
    [{ "vltair.config.json": "[]" }, "ConfigInvalid", /must be an object/],
    [{ "vltair.config.json": '{"plugins":"x"}' }, "ConfigInvalid", /"plugins" must be an array/],
    [{ "vltair.config.json": '{"plugins":[""]}' }, "ConfigInvalid", /plugins\[0\] must be a non-empty string/],
    [{ "vltair.config.mjs": "throw new Error('broken config')" }, "ConfigInvalid", /cannot be imported: broken config/],
    [{ "vltair.config.json": '{"plugins":["no-such-plugin-vltair"]}' }, "PluginNotFound", /plugin "no-such-plugin-vltair": package not found/],
    [{ "vltair.config.json": '{"plugins":["./missing.mjs"]}' }, "PluginNotFound", /plugin ".\/missing.mjs": cannot import/],
    [{ "vltair.config.json": '{"plugins":["./bad.mjs"]}', "bad.mjs": "export const = ;" }, "PluginLoadFailed", /plugin ".\/bad.mjs": cannot import/],
    [{ "vltair.config.json": '{"plugins":["./none.mjs"]}', "none.mjs": "export const x = 1;" }, "PluginInvalid", /exports no agent/],
    [{ "vltair.config.json": '{"plugins":["./noname.mjs"]}', "noname.mjs": "export default { name: '', capabilities: [], run() {} };" }, "PluginInvalid", /export "default": agent "name" must be a non-empty string/],
    [{ "vltair.config.json": '{"plugins":["./nocaps.mjs"]}', "nocaps.mjs": "export const a = { name: 'a', run() {} };" }, "PluginInvalid", /agent "a" needs "capabilities"/],
    [{ "vltair.config.json": '{"plugins":["./norun.mjs"]}', "norun.mjs": "export default { name: 'a', capabilities: [] };" }, "PluginInvalid", /agent "a" needs a "run" function/],
    [{ "vltair.config.json": '{"plugins":["./badval.mjs"]}', "badval.mjs": "export const a = { name: 'a', capabilities: [], run() {}, validatePayload: 1 };" }, "PluginInvalid", /"validatePayload" that is not a function/],
    [{ "vltair.config.json": '{"plugins":["./d1.mjs","./d2.mjs"]}', "d1.mjs": agentModule("dup"), "d2.mjs": agentModule("dup") }, "DuplicateAgent", /plugin ".\/d2.mjs": agent "dup" is already defined by plugin ".\/d1.mjs"/],
  ])("reports a bad plugin setup clearly (%#)", async (files, code, message) => {
    const err = await loadPlugins({ cwd: project(files) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginError);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(message);
  });
});

describe("resolvePackageEntry", () => {
  it("resolves import-only exports maps that require.resolve cannot", () => {
    const dir = project({
      "node_modules/esm-only/package.json": JSON.stringify({ name: "esm-only", exports: { ".": { import: "./esm.mjs" } } }),
      "node_modules/esm-only/esm.mjs": "export default 1;",
      "node_modules/main-only/package.json": JSON.stringify({ name: "main-only", main: "lib.mjs" }),
      "node_modules/main-only/lib.mjs": "export default 1;",
    });
    mkdirSync(path.join(dir, "sub"));
    expect(resolvePackageEntry("esm-only", path.join(dir, "sub"))).toBe(path.join(dir, "node_modules", "esm-only", "esm.mjs"));
    expect(resolvePackageEntry("main-only", dir)).toBe(path.join(dir, "node_modules", "main-only", "lib.mjs"));
    expect(resolvePackageEntry("absent-package-vltair", dir)).toBeUndefined();
  });
});

describe("examples/plugin-hello", () => {
  it("passes its own node --test suite in a real child process", () => {
    const r = spawnSync(process.execPath, ["--test", "test/"], { cwd: example, encoding: "utf8" });
    expect(r.stdout).toMatch(/# pass 4/);
    expect(r.status).toBe(0);
  });
});
