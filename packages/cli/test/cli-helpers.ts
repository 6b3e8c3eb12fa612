import { spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const bin = path.join(repoRoot, "packages/cli/dist/bin.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's last non-empty line, parsed as JSON. */
  last: Record<string, unknown>;
}

/** Runs the real `vltair` binary (piped, so it prints JSON) and collects its output. */
export function vltair(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = stdout.trim().split("\n");
      let last: Record<string, unknown> = {};
      try {
        last = JSON.parse(stdout.trim().startsWith("{\n") ? stdout : (lines[lines.length - 1] ?? "{}")) as Record<string, unknown>;
      } catch {
        last = {};
      }
      resolve({ code, stdout, stderr, last });
    });
  });
}

/** A fresh temp directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A copy of an example repository in a fresh temp directory. */
export function copyExample(name: string): string {
  const dir = tempDir(`vltair-${name}-`);
  cpSync(path.join(repoRoot, "examples", name), dir, { recursive: true });
  return dir;
}
