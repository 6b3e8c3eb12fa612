import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { listProjectRuns, runLine } from "../project-runs.js";

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
        const runs = await listProjectRuns(project.dir);
        ctx.output.result({ dir: project.dir, agents, runs }, () =>
          [
            `Project ${project.dir}`,
            "Agents:",
            ...agents.map((a) => `  ${a.name.padEnd(18)} ${a.status.padEnd(10)} load ${a.load.toFixed(2)}  ${a.kind.padEnd(6)}  ${a.capabilities.join(", ")}`),
            `Runs (${runs.length}):`,
            ...runs.map(runLine),
          ].join("\n"),
        );
      } finally {
        await project.closeAfterReading(ctx.output);
      }
    });

  program
    .command("queue")
    .description("tasks queued and running in the project's running runs (interrupted and damaged runs are listed apart)")
    .action(async () => {
      const project = await Project.open(ctx.globals(), ctx.env);
      const all = await listProjectRuns(project.dir);
      // Only a run whose owner is alive has tasks that will run; an interrupted run's tasks wait for `resume`.
      const live = all.filter((r) => r.status === "running");
      const interrupted = all.filter((r) => r.status === "interrupted").map((r) => r.runId);
      const damaged = all.filter((r) => r.status === "damaged").map((r) => ({ runId: r.runId, ...r.damage! }));
      const queued = live.reduce((n, r) => n + r.tasks.queued, 0);
      const running = live.reduce((n, r) => n + r.tasks.running, 0);
      const value = { queued, running, workers: project.config.concurrency, stopped: live.length === 0, runs: live.map((r) => r.runId), interrupted, damaged };
      ctx.output.result(value, () =>
        [
          `${queued} queued, ${running} running, ${value.workers} workers${value.stopped ? " (no running run)" : ` in ${live.length} running run(s)`}`,
          ...(interrupted.length > 0 ? [`${interrupted.length} interrupted run(s), resume with 'vltair resume <runId>': ${interrupted.join(", ")}`] : []),
          ...damaged.map((d) => `damaged run ${d.runId}: ${d.file}${d.offset === undefined ? "" : ` at byte ${d.offset}`}: ${d.message}`),
        ].join("\n"),
      );
    });

  program
    .command("runs")
    .description("the project's runs with their state: succeeded, failed, cancelled, running, interrupted or damaged")
    .option("--unfinished", "only runs that have not finished (running, or interrupted and resumable)", false)
    .action(async (flags: { unfinished: boolean }) => {
      const project = await Project.open(ctx.globals(), ctx.env);
      const all = await listProjectRuns(project.dir);
      const runs = flags.unfinished ? all.filter((r) => r.status === "running" || r.status === "interrupted") : all;
      ctx.output.result({ dir: project.dir, runs }, () => (runs.length === 0 ? (flags.unfinished ? "no unfinished run" : "no runs") : runs.map(runLine).join("\n")));
    });
}
