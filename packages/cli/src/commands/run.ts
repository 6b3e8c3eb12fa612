import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { EnvelopeValidationError, validateTask } from "@vltair/envelopes";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";

/** Reads and validates a task file; every problem names the file and the JSON pointer. */
export async function readTaskFile(file: string) {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = await readFile(resolved, "utf8");
  } catch (error) {
    throw new CliError(`cannot read task file ${resolved}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, "NotFound");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${resolved} is not valid JSON: ${(error as Error).message}`, "InvalidTask");
  }
  try {
    return validateTask(json);
  } catch (error) {
    if (error instanceof EnvelopeValidationError) {
      throw new CliError(`${resolved} is not a valid AgentTask: ${error.issues.map((i) => `${i.pointer || "/"}: ${i.message}`).join("; ")}`, "ValidationFailure");
    }
    throw error;
  }
}

/** `vltair run --file task.json`: submits one task, waits, prints the AgentResult (or the AgentError). */
export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command("run")
    .description("submit a task (an AgentTask JSON file), wait for it and print the result")
    .requiredOption("--file <task.json>", "the task")
    .action(async (flags: { file: string }) => {
      const task = await readTaskFile(flags.file);
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const orchestrator = await project.orchestrator();
        const envelope = await orchestrator.submit(task);
        if (envelope.type === "AgentError") {
          ctx.exitCode = ctx.output.failure(envelope.error.code, envelope.error.message, { result: envelope });
          return;
        }
        ctx.output.result({ result: envelope }, () => JSON.stringify(envelope, null, 2));
      } finally {
        await project.close();
      }
    });
}
