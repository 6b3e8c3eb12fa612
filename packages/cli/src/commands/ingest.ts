import { stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { parseScope } from "@vltair/context-store";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";

/** `vltair ingest <dir>`: indexes a repository into the project's context store (incremental). */
export function registerIngest(program: Command, ctx: CommandContext): void {
  program
    .command("ingest")
    .description("index a repository into the context store (honours .gitignore; unchanged files are skipped)")
    .argument("<dir>", "repository to index")
    .option("--scope <scope>", "scope of the indexed documents", "global")
    .action(async (dir: string, flags: { scope: string }) => {
      const root = path.resolve(dir);
      const info = await stat(root).catch(() => undefined);
      if (!info?.isDirectory()) throw new CliError(`ingest: ${root} is not a directory`, "NotFound");
      try {
        parseScope(flags.scope);
      } catch (error) {
        throw usageError(`--scope: ${(error as Error).message}`);
      }
      const scope = flags.scope;
      const project = await Project.open(ctx.globals(), ctx.env);
      const progress = ctx.output.progress(`Indexing ${root}`);
      try {
        const store = await project.store();
        const report = await store.ingest(root, {
          scope,
          onProgress: (p) => progress.update(`${p.filesDone}/${p.filesTotal} ${p.path ?? ""}`),
        });
        progress.done(`Indexed ${root}`);
        ctx.output.result({ dir: root, ...report }, () =>
          [
            `Indexed ${root} into ${path.join(project.dir, "context")}`,
            `  ${report.filesScanned} files scanned, ${report.filesIndexed} indexed, ${report.filesSkipped} unchanged or skipped, ${report.filesRemoved} removed`,
            `  ${report.chunks} chunks in ${(report.durationMs / 1000).toFixed(1)} s`,
          ].join("\n"),
        );
      } finally {
        progress.done();
        await project.close();
      }
    });
}
