import type { Command } from "commander";
import { driveWorkflow } from "@vltair/agents";
import { readJournal, type Run } from "@vltair/orchestrator";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { recordedWorkflow, replayAgents } from "../run-manifest.js";
import { runDirOf } from "./trace.js";

/**
 * `vltair replay <runId>`: re-executes a recorded run — the same agents, driven by the same workflow
 * loop — with the recorded model responses and tool results (no model, process or file is touched) and
 * reports whether it reproduces the journal, or the first event that differs.
 */
export function registerReplay(program: Command, ctx: CommandContext): void {
  program
    .command("replay")
    .description("re-execute a recorded run from its journal (no model or tool calls) and report the first divergence")
    .argument("<runId>", "the run (see 'vltair status')")
    .action(async (runId: string) => {
      const runDir = await runDirOf(ctx.globals().dir, runId);
      const { events } = await readJournal(runDir);
      const workflow = recordedWorkflow(events);
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const orchestrator = await project.orchestrator({ withAgents: false });
        const agents = await replayAgents(events, ctx.env, process.cwd());
        const drive = workflow
          ? async (run: Run) => {
              const report = await driveWorkflow(workflow.workflow, run, workflow.workspace, {
                maxIterations: workflow.maxIterations,
                ...(workflow.feature ? { feature: workflow.feature } : {}),
              });
              return { status: report.status };
            }
          : undefined;
        const report = await orchestrator.replay(runId, drive ? { agents, drive } : { agents });
        if (!report.identical) {
          const d = report.divergence!;
          ctx.exitCode = ctx.output.failure("ReplayDiverged", `replay of ${runId} diverges at event #${d.seq} (${d.kind}${d.taskId ? `, task ${d.taskId}` : ""})`, { report });
          return;
        }
        ctx.output.result({ runId, report }, () => `Replay of ${runId} reproduces all ${report.steps} recorded events; no model, process or file was touched.`);
      } finally {
        await project.close();
      }
    });
}
