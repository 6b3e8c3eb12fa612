import { accessSync, constants } from "node:fs";
import path from "node:path";
import { runProcess } from "./run-process.js";
import { cgroupBase } from "./cgroup-v1.js";

/** What this machine lets the sandbox use; probed once per process by {@link probeSandboxCapabilities}. */
export interface SandboxCapabilities {
  /** Absolute paths of the helper tools found on PATH. */
  tools: { sh?: string; unshare?: string; setpriv?: string; prlimit?: string; mount?: string };
  /** True when `unshare --net --mount --pid --fork --mount-proc` works here (needs root or user namespaces). */
  namespaces: boolean;
  /** Writable cgroup v1 directories under which run cgroups are created. */
  cgroups: { memory?: string; pids?: string; cpuacct?: string };
}

function which(tool: string): string | undefined {
  const dirs = (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":").concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin"]);
  for (const dir of dirs) {
    if (dir === "") continue;
    const file = path.join(dir, tool);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function namespacesWork(tools: SandboxCapabilities["tools"]): Promise<boolean> {
  if (tools.unshare === undefined || tools.sh === undefined || tools.setpriv === undefined || tools.mount === undefined) return false;
  try {
    const probe = await runProcess(tools.unshare, ["--net", "--mount", "--pid", "--fork", "--mount-proc", "--", tools.sh, "-c", "exit 0"], {
      cwd: "/",
      timeoutMs: 10_000,
    });
    return probe.exitCode === 0;
  } catch {
    return false;
  }
}

let probed: Promise<SandboxCapabilities> | undefined;

/**
 * Detects, once per process, which isolation mechanisms work here: Linux namespaces through `unshare`,
 * capability dropping through `setpriv`, RLIMIT_CPU through `prlimit`, and writable cgroup v1
 * controllers (memory, pids, cpuacct).
 */
export function probeSandboxCapabilities(): Promise<SandboxCapabilities> {
  probed ??= (async () => {
    const tools: SandboxCapabilities["tools"] = {};
    for (const tool of ["sh", "unshare", "setpriv", "prlimit", "mount"] as const) {
      const found = which(tool);
      if (found !== undefined) tools[tool] = found;
    }
    const cgroups: SandboxCapabilities["cgroups"] = {};
    if (process.platform === "linux") {
      for (const controller of ["memory", "pids", "cpuacct"] as const) {
        const base = cgroupBase(controller);
        if (base !== undefined) cgroups[controller] = base;
      }
    }
    return { tools, namespaces: process.platform === "linux" && (await namespacesWork(tools)), cgroups };
  })();
  return probed;
}
