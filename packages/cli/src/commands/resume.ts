import type { Command } from "commander";
import { driveWorkflow } from "@vltair/agents";
import { readJournal } from "@vltair/orchestrator";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { projectRun } from "../project-runs.js";
import { recordedWorkflow } from "../run-manifest.js";
import { runDirOf } from "./trace.js";
import { formatReport, reportJson, stepReporter } from "./workflow.js";

/**
 * `vltair resume <runId>`: continues an interrupted run (its owner process is gone). Finished tasks keep
 * their results; in-flight tasks re-run when idempotent and otherwise fail as interrupted; queued tasks
 * run. A workflow run is driven again from its start: steps already recorded answer from the journal, so
 * it carries on where it stopped and finishes with the workflow's verdict.
 */
export function registerResume(program: Command, ctx: CommandContext): void {
  program
    .command("resume")
    .description("continue an interrupted run (see 'vltair runs --unfinished')")
    .argument("<runId>", "the run")
    .action(async (runId: string) => {
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const runDir = await runDirOf(project.dir, runId);
        const before = await projectRun(project.dir, runId);
        if (before.status === "damaged") {
          const d = before.damage!;
          throw new CliError(`run ${runId} cannot be resumed: ${d.file}${d.offset === undefined ? "" : ` is damaged at byte ${d.offset}`}: ${d.message}`, "Damaged");
        }
        if (before.status === "running") throw new CliError(`run ${runId} is still running in process ${before.owner!.pid}; nothing to resume`, "RunOwned");
        if (before.status !== "interrupted") throw new CliError(`run ${runId} already finished (${before.status}); nothing to resume`, "RunFinished");
        const workflow = recordedWorkflow((await readJournal(runDir)).events);
        const orchestrator = await project.orchestrator();
        const resumed = await orchestrator.resume(runId);
        const counts = { finished: resumed.finished, rerun: resumed.rerun, interrupted: resumed.interrupted, queued: resumed.queued };
        if (workflow === undefined) {
          const summary = await resumed.run.finish();
          ctx.output.result({ runId, resumed: counts, status: summary.status }, () => `Resumed ${runId}: ${summary.status} (${counts.rerun.length} re-run, ${counts.interrupted.length} failed as interrupted, ${counts.queued.length} queued, ${counts.finished.length} already finished)`);
          if (summary.status !== "succeeded") ctx.exitCode = 1;
          return;
        }
        const progress = ctx.output.progress(`resuming ${workflow.workflow} ${runId}`);
        let report;
        try {
          report = await driveWorkflow(workflow.workflow, resumed.run, workflow.workspace, {
            maxIterations: workflow.maxIterations,
            ...(workflow.feature ? { feature: workflow.feature } : {}),
            onStep: stepReporter(ctx, progress),
          });
        } catch (error) {
          await resumed.run.finish({ status: "failed" });
          throw error;
        } finally {
          progress.done();
        }
        await resumed.run.finish({ status: report.status });
        ctx.output.resultLine({ ok: report.status === "succeeded", resumed: counts, ...reportJson(report) }, () => `Resumed ${runId}\n${formatReport(report)}`);
        if (report.status !== "succeeded") ctx.exitCode = 1;
      } finally {
        await project.close();
      }
    });
}
