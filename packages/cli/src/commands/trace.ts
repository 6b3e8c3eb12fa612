import { access } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { readJournal } from "@vltair/orchestrator";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { formatTimeline, timeline } from "../timeline.js";
import { summarizeRun } from "../run-summary.js";

/** The run directory of `runId`, or a NotFound error naming the project. */
export async function runDirOf(dir: string, runId: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(runId)) throw new CliError(`'${runId}' is not a run id`, "Usage", 2);
  const runDir = path.join(path.resolve(dir), "runs", runId);
  const exists = await access(path.join(runDir, "journal.log")).then(() => true, () => false);
  if (!exists) throw new CliError(`no run '${runId}' in ${path.resolve(dir)} (see 'vltair status')`, "NotFound");
  return runDir;
}

/** `vltair trace <runId>`: a run's journal as a timeline. */
export function registerTrace(program: Command, ctx: CommandContext): void {
  program
    .command("trace")
    .description("show a run's journal as a readable timeline")
    .argument("<runId>", "the run (see 'vltair status')")
    .action(async (runId: string) => {
      const runDir = await runDirOf(ctx.globals().dir, runId);
      const { events, tornTail } = await readJournal(runDir);
      const entries = timeline(events);
      const summary = summarizeRun(runId, events);
      ctx.output.result({ runId, summary, tornTail, timeline: entries }, () =>
        [
          `Run ${runId}: ${summary.status}${summary.workflow ? ` (${summary.workflow})` : ""}, ${events.length} events${tornTail ? " (a torn tail was dropped)" : ""}`,
          formatTimeline(entries),
        ].join("\n"),
      );
    });
}
