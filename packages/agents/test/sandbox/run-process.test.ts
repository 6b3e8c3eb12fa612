import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../../src/index.js";

const cwd = mkdtempSync(path.join(tmpdir(), "vltair-run-"));
const node = process.execPath;

describe("runProcess", () => {
  it("captures output and the exit code of a real child", async () => {
    const r = await runProcess(node, ["-e", "console.log('hi'); console.error('warn'); process.exit(3)"], { cwd });
    expect(r).toMatchObject({ exitCode: 3, stdout: "hi\n", stderr: "warn\n", limit: null });
  });

  it("passes stdin and only the given environment", async () => {
    const r = await runProcess(node, ["-e", "process.stdin.on('data', d => console.log(String(d), process.env.SECRET ?? 'none', process.env.ONLY))"], {
      cwd,
      env: { ONLY: "yes" },
      input: "ping",
    });
    expect(r.stdout.trim()).toBe("ping none yes");
  });

  it("kills the whole process tree at the wall-clock limit", async () => {
    // The child starts a grandchild that would outlive it; both must die.
    const script = "require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{}, 1000)'], {stdio:'ignore'}); setInterval(()=>{}, 1000)";
    const r = await runProcess(node, ["-e", script], { cwd, timeoutMs: 500 });
    expect(r.limit).toBe("timeout");
    expect(r.signal).toBe("SIGKILL");
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it("caps output and says so", async () => {
    const r = await runProcess(node, ["-e", "process.stdout.write('x'.repeat(100000))"], { cwd, maxOutputBytes: 1000 });
    expect(r.stdout.length).toBe(1000);
    expect(r.limit).toBe("output");
  });

  it("rejects when the command cannot start", async () => {
    await expect(runProcess("/nonexistent/tool", [], { cwd })).rejects.toThrow(/ENOENT/);
  });
});
