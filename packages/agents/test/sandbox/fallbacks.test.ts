import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { probeSandboxCapabilities, runSandboxed, SandboxError } from "../../src/index.js";

const node = process.execPath;
const workspace = mkdtempSync(path.join(tmpdir(), "vltair-sbx-fb-"));
mkdirSync(path.join(workspace, "node_modules", "dep"), { recursive: true });
writeFileSync(path.join(workspace, "node_modules", "dep", "index.js"), "module.exports = 41;\n");
writeFileSync(path.join(workspace, "lib.js"), "exports.add = (a, b) => a + b;\nexports.unused = () => 0;\n");

/** Namespaces and cgroups off: the fallbacks alone. */
const fallbackOnly = { namespaces: false, cgroups: false };

/** Live processes whose command line contains `marker`. */
function survivors(marker: string): string[] {
  return readdirSync("/proc").filter((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(marker);
    } catch {
      return false;
    }
  });
}

function sandboxDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith("vltair-sandbox-"));
}

describe("runSandboxed fallbacks (no namespaces, no cgroups)", () => {
  const off = { namespaces: false, cgroups: false };

  it("still runs in a copy and reports the weaker isolation honestly", async () => {
    const r = await runSandboxed({ command: node, args: ["-e", "console.log(require('fs').realpathSync('.').includes('vltair-sandbox-'))"], workspace }, off);
    expect(r.stdout).toBe("true\n");
    expect(r.isolation).toMatchObject({ network: "none", filesystem: "copy-only", processes: "watchdog", memory: "rss-poll", pidNamespace: false, capabilities: "inherited" });
  });

  it("the watchdog kills a fork bomb over the process limit", async () => {
    const bomb = "const {spawn}=require('child_process'); setInterval(()=>{ spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], {stdio:'ignore'}) }, 20)";
    const r = await runSandboxed({ command: node, args: ["-e", bomb], workspace, maxProcesses: 5, wallMs: 30_000 }, off);
    expect(r.limitHit).toBe("processes");
  });

  it("RSS polling kills a memory hog over the memory limit", async () => {
    const hog = "const a=[]; setInterval(()=>{ a.push(Buffer.alloc(8*1024*1024, 1)) }, 10)";
    const r = await runSandboxed({ command: node, args: ["-e", hog], workspace, memoryMb: 100, wallMs: 30_000 }, off);
    expect(r.limitHit).toBe("memory");
    expect(r.signal).toBe("SIGKILL");
  });

  it("RLIMIT_CPU still stops a CPU burner", async () => {
    const caps = await probeSandboxCapabilities();
    const r = await runSandboxed({ command: node, args: ["-e", "for(;;){}"], workspace, cpuSeconds: 1, wallMs: 30_000 }, off);
    if (caps.tools.prlimit !== undefined) {
      expect(r.limitHit).toBe("cpu");
      expect(r.signal).toBe("SIGXCPU");
    } else {
      expect(r.limitHit).toBe("wall");
    }
  });
});

describe("runSandboxed workspace handling", () => {
  it("symlinks node_modules, applies the overlay and never changes the original", async () => {
    const r = await runSandboxed({
      command: node,
      args: ["main.js"],
      workspace,
      overlay: { "main.js": "const fs=require('fs'); console.log(require('dep') + 1, fs.lstatSync('node_modules').isSymbolicLink(), fs.readFileSync('sub/data.txt','utf8'))", "sub/data.txt": "d" },
    });
    expect(r.stdout).toBe("42 true d\n");
    expect(existsSync(path.join(workspace, "main.js"))).toBe(false);
  });

  it("refuses an overlay that would write through the node_modules link into the original", async () => {
    const overlay = { "node_modules/dep/index.js": "module.exports = 0;\n" };
    await expect(runSandboxed({ command: node, args: ["-e", "0"], workspace, overlay }, fallbackOnly)).rejects.toThrow(/overlay path "node_modules\/dep\/index.js" leaves the workspace copy/);
    expect(readFileSync(path.join(workspace, "node_modules", "dep", "index.js"), "utf8")).toBe("module.exports = 41;\n");
  });

  it("ends at the wall limit even when a detached grandchild holds the output pipe, and kills it", async () => {
    // The grandchild calls setsid (detached) and inherits stdout: the group kill misses it and the pipe
    // stays open; the sandbox must still end the run and kill it.
    const script = "const {spawn}=require('child_process'); spawn(process.execPath, ['-e', 'setInterval(()=>{},1000) /*vltair-holder-marker*/'], {stdio:'inherit', detached:true}); setInterval(()=>{},1000)";
    const started = Date.now();
    const r = await runSandboxed({ command: node, args: ["-e", script], workspace, wallMs: 1500 }, fallbackOnly);
    expect(r.limitHit).toBe("wall");
    expect(Date.now() - started).toBeLessThan(20_000); // not the grandchild's lifetime: it never exits on its own
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(survivors("vltair-holder-marker")).toEqual([]);
  });

  it("kills the whole run when the caller aborts (a task's timeout or cancellation)", async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const r = await runSandboxed({ command: node, args: ["-e", "setInterval(()=>{},1000) /*vltair-abort-marker*/"], workspace, wallMs: 60_000 }, { ...fallbackOnly, signal: abort.signal });
    expect(r.signal).toBe("SIGKILL");
    expect(r.limitHit).toBeNull();
    expect(survivors("vltair-abort-marker")).toEqual([]);
  });

  it("runs in the real workspace when copyWorkspace is false, writable there", async () => {
    const r = await runSandboxed({ command: node, args: ["-e", "require('fs').writeFileSync('made-in-place.txt','1'); console.log(process.cwd())"], workspace, copyWorkspace: false });
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(workspace, "made-in-place.txt"))).toBe(true);
  });

  it("returns V8 coverage of the workspace's files with relative paths", async () => {
    const r = await runSandboxed({ command: node, args: ["-e", "console.log(require('./lib.js').add(1, 2))"], workspace, coverage: true });
    expect(r.stdout).toBe("3\n");
    const lib = r.coverage?.filter((f) => f.path === "lib.js") ?? [];
    expect(lib).toHaveLength(1);
    const unused = lib[0]?.functions.find((f) => f.functionName === "exports.unused" || f.functionName === "unused");
    expect(unused?.ranges[0]?.count).toBe(0);
    expect(r.coverage?.every((f) => !f.path.startsWith("/") && !f.path.startsWith(".."))).toBe(true);
  });

  it("removes its temporary directory and cgroups after every run", async () => {
    const before = sandboxDirs();
    await runSandboxed({ command: node, args: ["-e", "for(;;){}"], workspace, wallMs: 300 });
    expect(sandboxDirs()).toEqual(before);
    const caps = await probeSandboxCapabilities();
    for (const base of Object.values(caps.cgroups)) {
      expect(readdirSync(base).filter((n) => n.startsWith(`vltair-sandbox-${process.pid}-`))).toEqual([]);
    }
  });

  it("passes stdin and extra environment variables", async () => {
    const r = await runSandboxed({ command: node, args: ["-e", "process.stdin.on('data', d => console.log(String(d), process.env.GREETING))"], workspace, input: "ping", env: { GREETING: "hi" } });
    expect(r.stdout).toBe("ping hi\n");
  });
});

describe("runSandboxed errors", () => {
  it.each([
    [{ command: "", workspace }, /"command"/],
    [{ command: "node", workspace: "" }, /"workspace"/],
    [{ command: "node", workspace, wallMs: -1 }, /"wallMs" must be a positive integer/],
    [{ command: "node", workspace, args: [1] }, /"args"/],
    [{ command: "node", workspace, env: { A: 1 } }, /"env.A" must be a string/],
    [{ command: "node", workspace, network: "yes" }, /"network" must be a boolean/],
    [{ command: "node", workspace, copyWorkspace: false, overlay: { a: "b" } }, /"overlay" needs "copyWorkspace"/],
    [{ command: "node", workspace, overlay: { "../evil.js": "x" } }, /leaves the workspace/],
    [{ command: "node", workspace, input: 3 }, /"input" must be a string/],
  ])("rejects a bad spec %#", async (spec, message) => {
    await expect(runSandboxed(spec as never)).rejects.toThrow(message);
    await expect(runSandboxed(spec as never)).rejects.toBeInstanceOf(SandboxError);
  });

  it("rejects a non-object spec, a missing workspace and a missing command", async () => {
    await expect(runSandboxed(null as never)).rejects.toThrow(/must be an object/);
    await expect(runSandboxed({ command: "node", workspace: path.join(workspace, "nope") })).rejects.toMatchObject({ code: "WorkspaceMissing" });
    await expect(runSandboxed({ command: "no-such-tool-vltair", workspace })).rejects.toMatchObject({ code: "SpawnFailed", message: expect.stringMatching(/no-such-tool-vltair.*PATH/) });
    await expect(runSandboxed({ command: "./missing.sh", workspace })).rejects.toThrow(/in the workspace/);
  });
});
