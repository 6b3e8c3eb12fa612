import { constants as fsConstants } from "node:fs";
import { access, mkdir, mkdtemp, realpath, rm, stat } from "node:fs/promises";
import { constants as osConstants, tmpdir } from "node:os";
import path from "node:path";
import { runProcess, type ProcessResult } from "./run-process.js";
import { SandboxCgroups } from "./cgroup-v1.js";
import { planLaunch, SETUP_FAILURE_MARKER } from "./launch-command.js";
import { killAll, processTree } from "./process-tree.js";
import { probeSandboxCapabilities } from "./sandbox-capabilities.js";
import { SandboxError } from "./sandbox-error.js";
import { resolveSandboxSpec, type SandboxSpec } from "./sandbox-spec.js";
import { readV8Coverage, type FileCoverage } from "./v8-coverage.js";
import { copyWorkspace, writeOverlay } from "./workspace-copy.js";

/** The limit that ended (or, for `output`, trimmed) a sandboxed run. */
export type SandboxLimit = "wall" | "cpu" | "memory" | "processes" | "output";

/** Which mechanism enforced each kind of isolation in one run — reported, never assumed. */
export interface SandboxIsolation {
  /** `unshare`: a fresh network namespace with only a down loopback; `none`: the host network. */
  network: "unshare" | "none";
  /** `readonly-mounts`: every mount read-only except the sandbox directory; `copy-only`: only the cwd is a copy. */
  filesystem: "readonly-mounts" | "copy-only";
  /** `pids-cgroup`: the kernel caps the count; `watchdog`: the tree is polled and killed over the limit. */
  processes: "pids-cgroup" | "watchdog";
  /** `memory-cgroup`: the kernel caps the tree; `rss-poll`: the tree's RSS is polled and killed over the limit. */
  memory: "memory-cgroup" | "rss-poll";
  /** RLIMIT_CPU per process (`rlimit`), plus the whole tree's CPU time from a cpuacct cgroup (`cgroup+rlimit`). */
  cpu: "cgroup+rlimit" | "rlimit" | "cgroup" | "none";
  /** True when the tree runs in its own PID namespace (it cannot see or signal other processes). */
  pidNamespace: boolean;
  /** `dropped`: the child has no Linux capabilities (a root child cannot remount or leave its cgroups). */
  capabilities: "dropped" | "inherited";
}

/** What happened to a sandboxed run. */
export interface SandboxResult {
  /** Exit code, or `null` when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The limit that was hit, or null. */
  limitHit: SandboxLimit | null;
  durationMs: number;
  isolation: SandboxIsolation;
  /** V8 coverage of the workspace's files (paths relative to the workspace), when `coverage` was asked for. */
  coverage?: FileCoverage[];
}

/** Switches to turn isolation mechanisms off (to exercise the fallbacks); by default all available ones are used. */
export interface SandboxRunOptions {
  namespaces?: boolean;
  cgroups?: boolean;
  /** Watchdog poll interval (default 50 ms). */
  pollMs?: number;
  /** Aborting (a task's timeout or cancellation) kills the whole tree at once. */
  signal?: AbortSignal;
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(osConstants.signals).map(([name, num]) => [num, name as NodeJS.Signals]),
);

/** Fails early, with a clear error, for a command that is not an executable file on PATH or in the workspace. */
async function resolveExecutable(command: string, cwd: string, searchPath: string): Promise<void> {
  const candidates = command.includes("/") ? [path.resolve(cwd, command)] : searchPath.split(":").filter((d) => d !== "").map((d) => path.join(d, command));
  for (const file of candidates) {
    try {
      await access(file, fsConstants.X_OK);
      if ((await stat(file)).isFile()) return;
    } catch {
      // try the next one
    }
  }
  throw new SandboxError("SpawnFailed", `sandbox: cannot start "${command}": not an executable file ${command.includes("/") ? "in the workspace" : "on PATH"}`);
}

function limitFromProcess(limit: ProcessResult["limit"]): SandboxLimit | null {
  return limit === "timeout" ? "wall" : limit === "output" ? "output" : null;
}

/**
 * Runs `spec.command` under the sandbox: a temporary copy of the workspace as working directory, a scrubbed
 * environment (PATH, HOME and TMPDIR in the sandbox, LANG, plus `spec.env`), its own process group, and —
 * where the machine allows — namespaces (network, mount, PID), no capabilities, and cgroup limits.
 * The whole tree is killed on any limit and the result says which one. The copy is always removed.
 * Throws {@link SandboxError} only for a bad spec or a command that cannot start.
 */
export async function runSandboxed(spec: SandboxSpec, options: SandboxRunOptions = {}): Promise<SandboxResult> {
  const s = resolveSandboxSpec(spec);
  const workspace = path.resolve(s.workspace);
  const info = await stat(workspace).catch(() => undefined);
  if (info?.isDirectory() !== true) throw new SandboxError("WorkspaceMissing", `sandbox: workspace "${workspace}" is not a directory`);

  const caps = await probeSandboxCapabilities();
  const root = await realpath(await mkdtemp(path.join(tmpdir(), "vltair-sandbox-")));
  let cgroups: SandboxCgroups | undefined;
  try {
    for (const dir of ["home", "tmp", "coverage"]) await mkdir(path.join(root, dir));
    let cwd = await realpath(workspace);
    if (s.copyWorkspace) {
      const copy = path.join(root, "workspace");
      await copyWorkspace(cwd, copy);
      await writeOverlay(copy, s.overlay);
      cwd = copy;
    }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: path.join(root, "home"),
      TMPDIR: path.join(root, "tmp"),
      LANG: process.env.LANG ?? "C.UTF-8",
      ...s.env,
    };
    if (s.coverage) env.NODE_V8_COVERAGE = path.join(root, "coverage");
    await resolveExecutable(s.command, cwd, env.PATH ?? "");
    const useNamespaces = options.namespaces !== false && caps.namespaces;
    if (options.cgroups !== false && Object.keys(caps.cgroups).length > 0) {
      cgroups = SandboxCgroups.create(caps.cgroups, { memoryMb: s.memoryMb, maxProcesses: s.maxProcesses + (useNamespaces ? 2 : 0) });
    }
    const plan = planLaunch(caps, {
      command: s.command,
      args: s.args,
      cwd,
      writable: s.copyWorkspace ? [root] : [root, cwd],
      cpuSeconds: s.cpuSeconds,
      network: s.network,
      useNamespaces,
      cgroupProcsFiles: cgroups?.procsFiles() ?? [],
    });

    const stop = new AbortController();
    let hit: SandboxLimit | undefined;
    let rootPid: number | undefined;
    // The tree as the watchdog last saw it: a descendant that called setsid and was re-parented after
    // its parent died is no longer under rootPid, but it was a moment ago (≤ one poll).
    let lastTree: number[] = [];
    const killEverything = () => {
      cgroups?.killAll();
      if (rootPid !== undefined) killAll([...new Set([...processTree(rootPid).map((p) => p.pid), ...lastTree])]);
      stop.abort();
    };
    const killTree = (reason: SandboxLimit) => {
      hit ??= reason;
      killEverything();
    };
    const onCallerAbort = () => killEverything();
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    if (options.signal?.aborted === true) stop.abort();
    const wallTimer = setTimeout(() => killTree("wall"), s.wallMs);
    const watch = () => {
      if (rootPid === undefined || hit !== undefined) return;
      if (cgroups?.processLimitHit() === true) return killTree("processes");
      if (cgroups?.memoryLimitHit() === true) return killTree("memory");
      if (cgroups !== undefined && cgroups.cpuNanoseconds() > s.cpuSeconds * 1e9) return killTree("cpu");
      const needsTree = cgroups?.has("pids") !== true || cgroups.has("memory") !== true;
      if (!needsTree) return;
      const tree = processTree(rootPid);
      lastTree = tree.map((p) => p.pid);
      if (cgroups?.has("pids") !== true && tree.length > s.maxProcesses + plan.overheadProcesses) return killTree("processes");
      const rss = tree.reduce((sum, p) => sum + p.rssBytes, 0);
      if (cgroups?.has("memory") !== true && rss > s.memoryMb * 1024 * 1024) return killTree("memory");
    };
    const timer = setInterval(watch, options.pollMs ?? 50);
    let r: ProcessResult;
    try {
      r = await runProcess(plan.command, plan.args, {
        cwd,
        env,
        // The sandbox's own wall timer (above) kills the whole tree; this is only a backstop.
        timeoutMs: s.wallMs + 5_000,
        maxOutputBytes: s.maxOutputBytes,
        input: s.input,
        signal: stop.signal,
        onSpawn: (pid) => {
          rootPid = pid;
        },
      });
    } catch (cause) {
      throw new SandboxError("SpawnFailed", `sandbox: cannot start "${s.command}": ${(cause as Error).message}`, { cause });
    } finally {
      clearInterval(timer);
      clearTimeout(wallTimer);
      options.signal?.removeEventListener("abort", onCallerAbort);
    }
    if (r.exitCode === 125 && r.stderr.startsWith(SETUP_FAILURE_MARKER)) {
      throw new SandboxError("SpawnFailed", `sandbox: ${r.stderr.trim()}`);
    }
    let { exitCode, signal } = r;
    if (plan.namespaced && exitCode !== null && exitCode > 128 && SIGNAL_NAMES.has(exitCode - 128)) {
      // The namespace's sh init reports a child killed by signal N as exit code 128 + N.
      signal = SIGNAL_NAMES.get(exitCode - 128) ?? null;
      exitCode = null;
    }
    let limitHit: SandboxLimit | null = hit ?? (r.limit === "timeout" ? "wall" : null);
    if (limitHit === null && cgroups?.memoryLimitHit() === true) limitHit = "memory";
    if (limitHit === null && cgroups?.processLimitHit() === true) limitHit = "processes";
    if (limitHit === null && (signal === "SIGXCPU" || (signal === "SIGKILL" && cgroups !== undefined && cgroups.cpuNanoseconds() >= s.cpuSeconds * 1e9))) {
      limitHit = "cpu";
    }
    limitHit ??= limitFromProcess(r.limit);

    const cpu = caps.tools.prlimit !== undefined ? (cgroups?.has("cpuacct") === true ? "cgroup+rlimit" : "rlimit") : cgroups?.has("cpuacct") === true ? "cgroup" : "none";
    const result: SandboxResult = {
      exitCode,
      signal,
      stdout: r.stdout,
      stderr: r.stderr,
      limitHit,
      durationMs: r.durationMs,
      isolation: {
        network: plan.namespaced && !s.network ? "unshare" : "none",
        filesystem: plan.namespaced ? "readonly-mounts" : "copy-only",
        processes: cgroups?.has("pids") === true ? "pids-cgroup" : "watchdog",
        memory: cgroups?.has("memory") === true ? "memory-cgroup" : "rss-poll",
        cpu,
        pidNamespace: plan.namespaced,
        capabilities: plan.namespaced ? "dropped" : "inherited",
      },
    };
    if (s.coverage) result.coverage = await readV8Coverage(path.join(root, "coverage"), cwd);
    return result;
  } finally {
    cgroups?.killAll();
    await cgroups?.remove();
    await rm(root, { recursive: true, force: true });
  }
}
