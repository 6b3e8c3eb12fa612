import { access, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { readJournal } from "@vltair/orchestrator";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { formatTimeline, timeline } from "../timeline.js";
import { formatReport, reportJson, runWorkflowCommand } from "./workflow.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The demo repository: bundled with the package (`demo-repo/`), or `examples/fix-me` in a checkout. */
export async function demoRepository(): Promise<string> {
  for (const candidate of [path.resolve(here, "../../demo-repo"), path.resolve(here, "../../../../examples/fix-me")]) {
    if (await access(path.join(candidate, "package.json")).then(() => true, () => false)) return candidate;
  }
  throw new CliError("the demo repository is missing (expected demo-repo/ in @vltair/cli or examples/fix-me)", "NotFound");
}

/**
 * `vltair demo`: copies a small library with a failing test to a temporary directory and runs the
 * fix-failing-test workflow on it offline (no model), then shows the timeline and the patch.
 */
export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command("demo")
    .description("fix a failing test in a sample repository, offline: the main job in one command")
    .option("--keep", "keep the temporary copy of the repository (its path is printed)", false)
    .action(async (flags: { keep: boolean }) => {
      const source = await demoRepository();
      const workspace = await mkdtemp(path.join(tmpdir(), "vltair-demo-"));
      await cp(source, workspace, { recursive: true });
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        if (!ctx.output.json) ctx.output.raw(`Copied ${source} to ${workspace}; running fix-failing-test offline (no model)…\n`);
        const report = await runWorkflowCommand(ctx, project, "fix-failing-test", workspace, { maxIterations: 3, ingest: true });
        const { events } = await readJournal(path.join(project.dir, "runs", report.runId));
        const entries = timeline(events);
        if (ctx.output.json) ctx.output.line({ ok: report.status === "succeeded", workspace, ...reportJson(report), timeline: entries });
        else ctx.output.raw(["", "Timeline:", formatTimeline(entries), "", formatReport(report), flags.keep ? `\nRepository: ${workspace}` : ""].join("\n"));
        if (report.status !== "succeeded") ctx.exitCode = 1;
      } finally {
        await project.close();
        if (!flags.keep) await rm(workspace, { recursive: true, force: true });
      }
    });
}
