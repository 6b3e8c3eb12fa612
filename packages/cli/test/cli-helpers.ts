import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { afterAll } from "vitest";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/index.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const bin = path.join(repoRoot, "packages/cli/dist/bin.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's last non-empty line, parsed as JSON. */
  last: Record<string, unknown>;
}

/** Parses stdout the way a script reading the CLI would: the whole document, else its last line. */
function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  try {
    return JSON.parse(stdout.trim().startsWith("{\n") ? stdout : (lines[lines.length - 1] ?? "{}")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Runs one `vltair` invocation in this process through `main` (piped output, so JSON) — the same code
 * path as the binary minus process start-up, so coverage sees it.
 */
export async function vltairInProcess(args: string[], options: { env?: Record<string, string>; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += t), isTty: options.tty === true }, { PATH: process.env.PATH ?? "", ...options.env });
  return { code, stdout, stderr, last: lastJson(stdout) };
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
    child.on("close", (code) => resolve({ code, stdout, stderr, last: lastJson(stdout) }));
  });
}

const created: string[] = [];
// Each test file removes the directories it made.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A copy of an example repository in a fresh temp directory. */
export function copyExample(name: string): string {
  const dir = tempDir(`vltair-${name}-`);
  cpSync(path.join(repoRoot, "examples", name), dir, { recursive: true });
  return dir;
}
