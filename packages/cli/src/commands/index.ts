import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { registerAgentCommands } from "./agents.js";
import { registerDemo } from "./demo.js";
import { registerIngest } from "./ingest.js";
import { registerInit } from "./init.js";
import { registerQuery } from "./query.js";
import { registerReplay } from "./replay.js";
import { registerRun } from "./run.js";
import { registerStatusCommands } from "./status.js";
import { registerTrace } from "./trace.js";
import { registerWorkflow } from "./workflow.js";

/** Adds every `vltair` command to the program. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerInit(program, ctx);
  registerRun(program, ctx);
  registerStatusCommands(program, ctx);
  registerAgentCommands(program, ctx);
  registerQuery(program, ctx);
  registerIngest(program, ctx);
  registerWorkflow(program, ctx);
  registerReplay(program, ctx);
  registerTrace(program, ctx);
  registerDemo(program, ctx);
}
