import path from "node:path";
import type { Command } from "commander";
import { listRunDirs, readJournal } from "@vltair/orchestrator";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { summarizeRun, type RunSummary } from "../run-summary.js";

/** Every run of the project, summarised from its journal (sorted by id). */
export async function projectRuns(dir: string): Promise<RunSummary[]> {
  const ids = await listRunDirs(dir);
  const runs: RunSummary[] = [];
  for (const id of ids) {
    const { events } = await readJournal(path.join(dir, "runs", id));
    runs.push(summarizeRun(id, events));
  }
  return runs;
}

/** `vltair status` (agents and runs) and `vltair queue` (tasks waiting and running). */
export function registerStatusCommands(program: Command, ctx: CommandContext): void {
  program
    .command("status")
    .description("agents (built-in, plugins, registered) with health and load, and the project's runs")
    .action(async () => {
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const orchestrator = await project.orchestrator();
        const agents = (await orchestrator.status()).agents;
        const runs = await projectRuns(project.dir);
        ctx.output.result({ dir: project.dir, agents, runs }, () =>
          [
            `Project ${project.dir}`,
            "Agents:",
            ...agents.map((a) => `  ${a.name.padEnd(18)} ${a.status.padEnd(10)} load ${a.load.toFixed(2)}  ${a.kind.padEnd(6)}  ${a.capabilities.join(", ")}`),
            `Runs (${runs.length}):`,
            ...runs.map((r) => `  ${r.runId}  ${r.status.padEnd(10)} ${r.workflow ?? ""}  ${r.tasks.succeeded} ok, ${r.tasks.failed} failed, ${r.tasks.queued + r.tasks.running} pending`),
          ].join("\n"),
        );
      } finally {
        await project.close();
      }
    });

  program
    .command("queue")
    .description("tasks queued and running across the project's unfinished runs")
    .action(async () => {
      const project = await Project.open(ctx.globals(), ctx.env);
      const runs = (await projectRuns(project.dir)).filter((r) => r.status === "unfinished");
      const queued = runs.reduce((n, r) => n + r.tasks.queued, 0);
      const running = runs.reduce((n, r) => n + r.tasks.running, 0);
      const value = { queued, running, workers: project.config.concurrency, stopped: runs.length === 0, runs: runs.map((r) => r.runId) };
      ctx.output.result(value, () => `${queued} queued, ${running} running, ${value.workers} workers${value.stopped ? " (no unfinished run)" : ` in ${runs.length} unfinished run(s)`}`);
    });
}
