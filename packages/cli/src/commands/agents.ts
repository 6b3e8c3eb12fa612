import { Option, type Command } from "commander";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { fraction, list } from "./arguments.js";

/** `vltair register` and `vltair update`: agents the orchestrator may route to, persisted in the project. */
export function registerAgentCommands(program: Command, ctx: CommandContext): void {
  program
    .command("register")
    .description("register a (remote) agent with its capabilities; persisted in the project")
    .requiredOption("--agent <name>", "agent name")
    .requiredOption("--cap <capabilities>", "comma-separated capabilities, e.g. code.write,test.run", list)
    .option("--agent-version <version>", "the agent's version")
    .action(async (flags: { agent: string; cap: string[]; agentVersion?: string }) => {
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const orchestrator = await project.orchestrator({ withAgents: false });
        await orchestrator.registerRemote({ name: flags.agent, capabilities: flags.cap, ...(flags.agentVersion ? { version: flags.agentVersion } : {}) });
        ctx.output.result({ agent: flags.agent, capabilities: flags.cap }, () => `Registered ${flags.agent} (${flags.cap.join(", ")})`);
      } finally {
        await project.close();
      }
    });

  program
    .command("update")
    .description("report an agent's health and load")
    .requiredOption("--agent <name>", "agent name")
    .addOption(new Option("--status <status>", "health").choices(["healthy", "unhealthy", "draining"]))
    .option("--load <load>", "load between 0 and 1", fraction)
    .action(async (flags: { agent: string; status?: "healthy" | "unhealthy" | "draining"; load?: number }) => {
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const orchestrator = await project.orchestrator({ withAgents: false });
        const report: { status?: "healthy" | "unhealthy" | "draining"; load?: number } = {};
        if (flags.status !== undefined) report.status = flags.status;
        if (flags.load !== undefined) report.load = flags.load;
        await orchestrator.updateAgent(flags.agent, report);
        ctx.output.result({ agent: flags.agent, ...report }, () => `Updated ${flags.agent}: ${JSON.stringify(report)}`);
      } finally {
        await project.close();
      }
    });
}
