import { createRequire } from "node:module";
import { Command, CommanderError, Option } from "commander";
import { usageError } from "./cli-error.js";
import { logFailure } from "./error-log.js";
import type { CommandContext, GlobalOptions } from "./context.js";
import { Output, type Io } from "./output.js";
import { registerCommands } from "./commands/index.js";
import { redactorFor } from "./project.js";

/** The CLI's version, from its package.json. */
export const VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/** Builds the commander program; `ctx.output` receives everything printed. */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command("vltair")
    .description("Agent orchestration for software-development agents, with an embedded hybrid-search memory.")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--dir <path>", "project state directory").default(".vltair"))
    .option("--json", "print JSON (the default when stdout is not a terminal)", false)
    .option("--redact-prefix <prefixes>", "also redact tokens starting with these (comma-separated)")
    .option("--redact-fields <paths>", "redact these field paths, e.g. analysis.details (comma-separated)")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.output.raw(text.trimEnd()),
      writeErr: () => {},
      outputError: () => {},
    });
  registerCommands(program, ctx);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: (text) => ctx.output.raw(text.trimEnd()), writeErr: () => {}, outputError: () => {} });
  }
  return program;
}

/**
 * Runs one invocation (`argv` without node and script) and resolves to the exit code. Never throws:
 * every failure becomes the JSON error envelope.
 */
export async function main(argv: readonly string[], io: Io, env: Record<string, string | undefined> = process.env): Promise<number> {
  const output = new Output(io, argv.includes("--json") || !io.isTty);
  let program: Command | undefined;
  const ctx: CommandContext = {
    output,
    env,
    globals: () => program!.opts<GlobalOptions>(),
  };
  try {
    program = buildProgram(ctx);
    if (argv.length === 0) throw usageError(`no command given; try 'vltair --help'`);
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      return output.error(usageError(error.message.replace(/^error: /, "")));
    }
    const exitCode = output.error(error);
    try {
      const globals = program!.opts<GlobalOptions>();
      logFailure(globals.dir, redactorFor(globals, env), { traceId: output.traceId, argv, code: output.codeOf(error), error });
    } catch {
      // The envelope is printed; a log that cannot be written must not change the outcome.
    }
    return exitCode;
  }
}
