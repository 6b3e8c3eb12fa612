import { spawn } from "node:child_process";

/** Limits and environment of {@link runProcess}. */
export interface RunProcessOptions {
  /** Working directory. */
  cwd: string;
  /** Wall-clock limit; the whole process tree is killed when it passes (default 60 000 ms). */
  timeoutMs?: number;
  /** Bytes kept of stdout and of stderr each; the rest is dropped and reported (default 1 MiB). */
  maxOutputBytes?: number;
  /** The child's whole environment: nothing is inherited unless passed here (default: PATH only). */
  env?: Record<string, string>;
  /** Data written to the child's stdin, then closed. */
  input?: string;
  /** Called with the child's pid (= its process-group id) right after it started. */
  onSpawn?: (pid: number) => void;
  /** Aborting kills the whole process tree; the result then carries `limit: null` unless a limit hit first. */
  signal?: AbortSignal;
}

/** What happened to a process run by {@link runProcess}. */
export interface ProcessResult {
  /** Exit code, or `null` when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Which limit ended or trimmed the run, if any. */
  limit: "timeout" | "output" | null;
  durationMs: number;
}

/**
 * Runs a command in its own process group with a scrubbed environment, a wall-clock limit that kills
 * the whole tree (children included) and capped output. Never throws for the child's failure; it
 * rejects only when the command cannot be started.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxOutput = options.maxOutputBytes ?? 1 << 20;
  const env = options.env ?? { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let limit: ProcessResult["limit"] = null;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let exited = false;
    let killed = false;

    // A killed run must end even when a descendant that left the group (setsid) still holds our pipes:
    // shortly after the leader is gone, stop waiting for them.
    const forceClose = () => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 250).unref();
    };
    const killTree = () => {
      try {
        // detached: true made the child a group leader; a negative pid signals the whole group.
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      if (!killed && exited) forceClose();
      killed = true;
    };
    const collect = (chunks: Buffer[], bytes: () => number, add: (n: number) => void) => (chunk: Buffer) => {
      const room = maxOutput - bytes();
      if (room <= 0) {
        limit ??= "output";
        return;
      }
      if (chunk.length > room) limit ??= "output";
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      add(kept.length);
    };
    child.stdout.on("data", collect(out, () => outBytes, (n) => (outBytes += n)));
    child.stderr.on("data", collect(err, () => errBytes, (n) => (errBytes += n)));

    const timer = setTimeout(() => {
      limit = "timeout";
      killTree();
    }, timeoutMs);
    const onAbort = () => killTree();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted === true) killTree();
    if (child.pid !== undefined) options.onSpawn?.(child.pid);

    child.on("error", (e) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      reject(e);
    });
    child.on("exit", () => {
      exited = true;
      if (killed) forceClose();
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // Grandchildren may outlive the group leader; make sure nothing of the tree survives.
      killTree();
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        limit,
        durationMs: performance.now() - started,
      });
    });
    child.stdin.on("error", () => {}); // the child may exit without reading its input
    child.stdin.end(options.input ?? "");
  });
}
