import { access } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { DEFAULT_CONFIG, saveConfig } from "../project.js";

/** `vltair init`: creates the project state directory with its config. */
export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command("init")
    .description("create the project state directory (.vltair/ or --dir) with a default config.json")
    .option("--force", "overwrite an existing config", false)
    .action(async (flags: { force: boolean }) => {
      const dir = path.resolve(ctx.globals().dir);
      const exists = await access(path.join(dir, "config.json")).then(() => true, () => false);
      if (exists && !flags.force) throw new CliError(`${dir} is already initialised (use --force to reset its config)`, "AlreadyExists");
      const file = await saveConfig(dir, DEFAULT_CONFIG);
      ctx.output.result({ dir, config: DEFAULT_CONFIG }, () =>
        [
          `Initialised ${dir}`,
          `  config: ${file}`,
          "Next: vltair ingest .   then   vltair workflow fix-failing-test .",
        ].join("\n"),
      );
    });
}
