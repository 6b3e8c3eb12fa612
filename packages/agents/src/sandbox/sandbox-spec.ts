import { SandboxError } from "./sandbox-error.js";

/** What to run in the sandbox and under which limits. */
export interface SandboxSpec {
  /** Executable, looked up on the sandbox's PATH. */
  command: string;
  args?: readonly string[];
  /** The project directory; the child runs in a temporary copy of it unless `copyWorkspace` is false. */
  workspace: string;
  /** Run in a temporary copy (default true); `node_modules` directories are symlinked, not copied. */
  copyWorkspace?: boolean;
  /** Files (workspace-relative path → content) written into the copy before running. */
  overlay?: Record<string, string>;
  /** Wall-clock limit for the whole tree (default 60 000 ms). */
  wallMs?: number;
  /** CPU-time limit per process via RLIMIT_CPU and, with a cpuacct cgroup, for the whole tree (default 60 s). */
  cpuSeconds?: number;
  /** Memory limit for the whole tree (default 1024 MB). */
  memoryMb?: number;
  /** Most processes (and threads, with a pids cgroup) alive at once (default 64). */
  maxProcesses?: number;
  /** Bytes kept of stdout and of stderr each (default 1 MiB). */
  maxOutputBytes?: number;
  /** Extra environment variables; nothing else of the parent's environment is passed. */
  env?: Record<string, string>;
  /** Allow network access (default false: a fresh network namespace without interfaces, when available). */
  network?: boolean;
  /** Collect V8 coverage (NODE_V8_COVERAGE) of the files inside the workspace. */
  coverage?: boolean;
  /** Data for the child's stdin. */
  input?: string;
}

/** A spec with every default filled in. */
export interface ResolvedSandboxSpec {
  command: string;
  args: readonly string[];
  workspace: string;
  copyWorkspace: boolean;
  overlay: Record<string, string>;
  wallMs: number;
  cpuSeconds: number;
  memoryMb: number;
  maxProcesses: number;
  maxOutputBytes: number;
  env: Record<string, string>;
  network: boolean;
  coverage: boolean;
  input: string;
}

/** Defaults sized for running a project's `node --test` or vitest suite. */
export const SANDBOX_DEFAULTS = {
  wallMs: 60_000,
  cpuSeconds: 60,
  memoryMb: 1024,
  maxProcesses: 64,
  maxOutputBytes: 1 << 20,
} as const;

function positiveInteger(spec: Record<string, unknown>, key: keyof typeof SANDBOX_DEFAULTS): number {
  const value = spec[key];
  if (value === undefined) return SANDBOX_DEFAULTS[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new SandboxError("InvalidSpec", `sandbox spec: "${key}" must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function stringRecord(value: unknown, key: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SandboxError("InvalidSpec", `sandbox spec: "${key}" must be an object of strings`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new SandboxError("InvalidSpec", `sandbox spec: "${key}.${k}" must be a string, got ${typeof v}`);
  }
  return value as Record<string, string>;
}

/** Checks a spec and fills in defaults; throws {@link SandboxError} `InvalidSpec` naming the bad field. */
export function resolveSandboxSpec(input: unknown): ResolvedSandboxSpec {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new SandboxError("InvalidSpec", "sandbox spec must be an object");
  }
  const spec = input as Record<string, unknown>;
  if (typeof spec.command !== "string" || spec.command === "") {
    throw new SandboxError("InvalidSpec", 'sandbox spec: "command" must be a non-empty string');
  }
  if (typeof spec.workspace !== "string" || spec.workspace === "") {
    throw new SandboxError("InvalidSpec", 'sandbox spec: "workspace" must be a non-empty path');
  }
  const args = spec.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
    throw new SandboxError("InvalidSpec", 'sandbox spec: "args" must be an array of strings');
  }
  for (const key of ["copyWorkspace", "network", "coverage"] as const) {
    if (spec[key] !== undefined && typeof spec[key] !== "boolean") {
      throw new SandboxError("InvalidSpec", `sandbox spec: "${key}" must be a boolean`);
    }
  }
  if (spec.input !== undefined && typeof spec.input !== "string") {
    throw new SandboxError("InvalidSpec", 'sandbox spec: "input" must be a string');
  }
  const overlay = stringRecord(spec.overlay, "overlay");
  const copyWorkspace = spec.copyWorkspace !== false;
  if (!copyWorkspace && Object.keys(overlay).length > 0) {
    throw new SandboxError("InvalidSpec", 'sandbox spec: "overlay" needs "copyWorkspace" (it never writes into the real workspace)');
  }
  return {
    command: spec.command,
    args: args as string[],
    workspace: spec.workspace,
    copyWorkspace,
    overlay,
    wallMs: positiveInteger(spec, "wallMs"),
    cpuSeconds: positiveInteger(spec, "cpuSeconds"),
    memoryMb: positiveInteger(spec, "memoryMb"),
    maxProcesses: positiveInteger(spec, "maxProcesses"),
    maxOutputBytes: positiveInteger(spec, "maxOutputBytes"),
    env: stringRecord(spec.env, "env"),
    network: spec.network === true,
    coverage: spec.coverage === true,
    input: (spec.input) ?? "",
  };
}
