import { readdirSync, readFileSync } from "node:fs";

/** One process as /proc/<pid>/stat describes it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  rssBytes: number;
}

const PAGE_SIZE = 4096;

function readStat(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: parse after its last ')'.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(rest[1]);
    const rssPages = Number(rest[21]);
    return { pid, ppid, rssBytes: rssPages * PAGE_SIZE };
  } catch {
    return undefined; // exited between readdir and read
  }
}

/** All live processes (empty where /proc does not exist). */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const info = readStat(Number(name));
    if (info !== undefined) out.push(info);
  }
  return out;
}

/** `root` and every process descending from it, by parent links (orphans re-parented elsewhere escape). */
export function processTree(root: number, processes: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  let rootInfo: ProcessInfo | undefined;
  for (const p of processes) {
    if (p.pid === root) rootInfo = p;
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  if (rootInfo === undefined) return [];
  const tree: ProcessInfo[] = [];
  const stack = [rootInfo];
  while (stack.length > 0) {
    const p = stack.pop() as ProcessInfo;
    tree.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return tree;
}

/** Sends SIGKILL to each pid, ignoring the ones already gone. */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
