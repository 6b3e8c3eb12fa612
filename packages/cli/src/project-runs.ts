import path from "node:path";
import { JournalCorruptError, JournalNotFoundError, listRunDirs, readJournal, readRunOwner } from "@vltair/orchestrator";
import { summarizeRun, type RunSummary } from "./run-summary.js";

/**
 * Where a run stands: finished (`succeeded`, `failed`, `cancelled`); unfinished and `running` (the
 * process holding its journal lock is alive); unfinished and `interrupted` (that process is gone: a crash
 * or a kill — `vltair resume` continues it); or `damaged` (its journal cannot be read).
 */
export type RunState = "succeeded" | "failed" | "cancelled" | "running" | "interrupted" | "damaged";

/** A run of the project as `status`, `queue` and `runs` list it. */
export interface ProjectRun extends Omit<RunSummary, "status"> {
  status: RunState;
  /** The process that owns (`running`) or owned (`interrupted`) the run, from its journal lock. */
  owner?: { pid: number };
  /** Why the journal cannot be read: the file and, for damaged bytes, the offset. */
  damage?: { file: string; offset?: number; message: string };
}

const NO_TASKS = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };

/**
 * Every run under `<dir>/runs/`, sorted by id. One damaged run (a flipped byte, an empty journal, a stray
 * directory) is listed as `damaged` with the file and offset; it never hides the others.
 */
export async function listProjectRuns(dir: string): Promise<ProjectRun[]> {
  const runs: ProjectRun[] = [];
  for (const id of await listRunDirs(dir)) runs.push(await projectRun(dir, id));
  return runs;
}

/** One run, read from its journal and its lock. */
export async function projectRun(dir: string, runId: string): Promise<ProjectRun> {
  const runDir = path.join(dir, "runs", runId);
  let summary: RunSummary;
  try {
    summary = summarizeRun(runId, (await readJournal(runDir)).events);
  } catch (error) {
    return { runId, status: "damaged", tasks: { ...NO_TASKS }, events: 0, damage: damageOf(error, path.join(runDir, "journal.log")) };
  }
  if (summary.status !== "unfinished") return { ...summary, status: summary.status };
  const owner = await readRunOwner(runDir);
  const run: ProjectRun = { ...summary, status: owner?.alive === true ? "running" : "interrupted" };
  if (owner !== undefined) run.owner = { pid: owner.pid };
  return run;
}

function damageOf(error: unknown, journal: string): NonNullable<ProjectRun["damage"]> {
  if (error instanceof JournalCorruptError) return { file: error.file, offset: error.offset, message: error.message };
  if (error instanceof JournalNotFoundError) return { file: error.file, message: "no journal in this run directory" };
  return { file: journal, message: error instanceof Error ? error.message : String(error) };
}

/** A run as one line of text. */
export function runLine(r: ProjectRun): string {
  if (r.status === "damaged") {
    return `  ${r.runId}  damaged    ${r.damage!.file}${r.damage!.offset === undefined ? "" : ` at byte ${r.damage!.offset}`}: ${r.damage!.message}`;
  }
  const owner = r.owner === undefined ? "" : r.status === "running" ? ` (pid ${r.owner.pid})` : ` (owner pid ${r.owner.pid} is gone; vltair resume ${r.runId})`;
  const pending = r.tasks.queued + r.tasks.running;
  return `  ${r.runId}  ${r.status.padEnd(10)} ${r.workflow ?? ""}  ${r.tasks.succeeded} ok, ${r.tasks.failed} failed, ${pending} pending${owner}`;
}
