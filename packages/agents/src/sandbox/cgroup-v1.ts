import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { killAll } from "./process-tree.js";

/** The cgroup v1 controllers the sandbox uses. */
export type CgroupController = "memory" | "pids" | "cpuacct";

const ROOT = "/sys/fs/cgroup";

/** The directory under which this process may create child cgroups of `controller`, or undefined. */
export function cgroupBase(controller: CgroupController): string | undefined {
  const mount = path.join(ROOT, controller);
  if (!existsSync(path.join(mount, "cgroup.procs"))) return undefined;
  let own = "/";
  try {
    // Lines look like "4:memory:/some/path" (cpuacct is often co-mounted as "cpu,cpuacct").
    for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
      const [, controllers, where] = line.split(":");
      if (controllers?.split(",").includes(controller) === true && where !== undefined) own = where;
    }
  } catch {
    return undefined;
  }
  const base = path.join(mount, own);
  const probe = path.join(base, `vltair-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return base;
  } catch {
    return undefined;
  }
}

function readNumber(file: string, key?: string): number {
  try {
    const text = readFileSync(file, "utf8");
    if (key === undefined) return Number(text.trim());
    const line = text.split("\n").find((l) => l.startsWith(`${key} `));
    return line === undefined ? 0 : Number(line.slice(key.length + 1));
  } catch {
    return 0;
  }
}

let sequence = 0;

/** One sandbox run's cgroups (one per available controller), with its limits and what they observed. */
export class SandboxCgroups {
  private constructor(private readonly dirs: ReadonlyMap<CgroupController, string>) {}

  /** Creates the run's cgroups under the given bases and applies the limits. */
  static create(bases: Partial<Record<CgroupController, string>>, limits: { memoryMb: number; maxProcesses: number }): SandboxCgroups {
    const name = `vltair-sandbox-${process.pid}-${++sequence}`;
    const dirs = new Map<CgroupController, string>();
    for (const controller of ["memory", "pids", "cpuacct"] as const) {
      const base = bases[controller];
      if (base === undefined) continue;
      const dir = path.join(base, name);
      mkdirSync(dir);
      dirs.set(controller, dir);
    }
    const cgroups = new SandboxCgroups(dirs);
    const memory = dirs.get("memory");
    if (memory !== undefined) {
      const bytes = String(limits.memoryMb * 1024 * 1024);
      writeFileSync(path.join(memory, "memory.limit_in_bytes"), bytes);
      // Without a swap limit the tree could page out instead of being stopped.
      if (existsSync(path.join(memory, "memory.memsw.limit_in_bytes"))) writeFileSync(path.join(memory, "memory.memsw.limit_in_bytes"), bytes);
    }
    const pids = dirs.get("pids");
    if (pids !== undefined) writeFileSync(path.join(pids, "pids.max"), String(limits.maxProcesses));
    return cgroups;
  }

  has(controller: CgroupController): boolean {
    return this.dirs.has(controller);
  }

  /** The `cgroup.procs` files a process writes its pid to, to join every cgroup of the run. */
  procsFiles(): string[] {
    return [...this.dirs.values()].map((d) => path.join(d, "cgroup.procs"));
  }

  /** True once the kernel refused a fork because of `pids.max`. */
  processLimitHit(): boolean {
    const dir = this.dirs.get("pids");
    return dir !== undefined && readNumber(path.join(dir, "pids.events"), "max") > 0;
  }

  /** True once the OOM killer acted in the memory cgroup. */
  memoryLimitHit(): boolean {
    const dir = this.dirs.get("memory");
    if (dir === undefined) return false;
    return readNumber(path.join(dir, "memory.oom_control"), "oom_kill") > 0 || readNumber(path.join(dir, "memory.oom_control"), "under_oom") > 0;
  }

  /** CPU time consumed by the whole tree, in nanoseconds (0 without a cpuacct cgroup). */
  cpuNanoseconds(): number {
    const dir = this.dirs.get("cpuacct");
    return dir === undefined ? 0 : readNumber(path.join(dir, "cpuacct.usage"));
  }

  /** Every pid in the run's cgroups. */
  pids(): number[] {
    const all = new Set<number>();
    for (const file of this.procsFiles()) {
      try {
        for (const line of readFileSync(file, "utf8").split("\n")) if (line !== "") all.add(Number(line));
      } catch {
        // removed
      }
    }
    return [...all];
  }

  /** Kills every process in the cgroups, including ones that left the process group (setsid). */
  killAll(): void {
    for (let round = 0; round < 50; round++) {
      const pids = this.pids();
      if (pids.length === 0) return;
      killAll(pids);
    }
  }

  /** Kills what is left and removes the cgroups (a cgroup with a zombie still in it is retried briefly). */
  async remove(): Promise<void> {
    for (const dir of this.dirs.values()) {
      for (let attempt = 0; attempt < 40; attempt++) {
        try {
          rmdirSync(dir);
          break;
        } catch {
          this.killAll();
          await new Promise((r) => setTimeout(r, 25));
        }
      }
    }
  }
}
