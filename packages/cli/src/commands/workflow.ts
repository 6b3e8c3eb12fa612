import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { runWorkflow, WORKFLOW_NAMES, type FeatureSpec, type WorkflowName, type WorkflowReport, type WorkflowStep } from "@vltair/agents";
import type { Budget, CodeGenPayload } from "@vltair/envelopes";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { finiteNumber, positiveInteger } from "./arguments.js";

interface WorkflowFlags {
  spec?: string;
  maxIterations: number;
  budgetTokens?: number;
  budgetCostUsd?: number;
  budgetWallMs?: number;
  ingest: boolean;
}

/** The feature a `feature-add` run makes, from `--spec` (CodeGen's changes / instructions / targetFiles). */
async function readFeatureSpec(file: string | undefined): Promise<FeatureSpec> {
  if (!file) throw usageError("feature-add needs --spec <feature.json> with { changes: [...] } or { instructions }");
  let spec: unknown;
  try {
    spec = JSON.parse(await readFile(path.resolve(file), "utf8"));
  } catch (error) {
    throw new CliError(`cannot read feature spec ${path.resolve(file)}: ${(error as Error).message}`, "InvalidSpec");
  }
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new CliError(`${file}: a feature spec is a JSON object`, "InvalidSpec");
  const { changes, instructions, targetFiles, ...rest } = spec as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new CliError(`${file}: unknown field(s) ${unknown.join(", ")} (expected changes, instructions, targetFiles)`, "InvalidSpec");
  const feature: FeatureSpec = {};
  if (changes !== undefined) feature.changes = changes as CodeGenPayload["changes"];
  if (instructions !== undefined) feature.instructions = instructions as string;
  if (targetFiles !== undefined) feature.targetFiles = targetFiles as string[];
  return feature;
}

/** A workflow report as text: outcome, steps and the patch. */
export function formatReport(report: WorkflowReport): string {
  return [
    `${report.status === "succeeded" ? "✔" : "✘"} ${report.workflow} ${report.status}: ${report.reason}`,
    `  run ${report.runId} (vltair trace ${report.runId} · vltair replay ${report.runId})`,
    ...(report.patch ? ["", "Patch:", report.patch.trimEnd()] : []),
  ].join("\n");
}

function stepLine(step: WorkflowStep): string {
  return `${step.ok ? "✔" : "✘"} ${step.agent.padEnd(16)} ${step.taskId}  ${step.summary}`;
}

/** The report without the full envelopes (they are in the journal). */
export function reportJson(report: WorkflowReport): Record<string, unknown> {
  return { ...report, steps: report.steps.map(({ envelope: _envelope, ...step }) => step) };
}

/** Runs a workflow on a project and prints progress and the report; returns the report. */
export async function runWorkflowCommand(ctx: CommandContext, project: Project, name: WorkflowName, dir: string, options: { feature?: FeatureSpec; maxIterations: number; budget?: Budget; ingest: boolean }): Promise<WorkflowReport> {
  const progress = ctx.output.progress(`${name} on ${dir}`);
  try {
    const orchestrator = await project.orchestrator();
    const common = {
      orchestrator,
      maxIterations: options.maxIterations,
      ...(options.ingest ? { store: await project.store() } : {}),
      ...(options.budget ? { budget: options.budget } : {}),
      onStep: (step: WorkflowStep) => {
        if (ctx.output.json) ctx.output.line({ step: { taskId: step.taskId, agent: step.agent, ok: step.ok, summary: step.summary } });
        else {
          progress.update(step.summary);
          ctx.output.raw(stepLine(step));
        }
      },
    };
    return await runWorkflow(name, dir, options.feature ? { ...common, feature: options.feature } : common);
  } finally {
    progress.done();
  }
}

/** `vltair workflow <name> <dir>`: feature-add or fix-failing-test, journaled and replayable. */
export function registerWorkflow(program: Command, ctx: CommandContext): void {
  program
    .command("workflow")
    .description(`run a workflow on a repository: ${WORKFLOW_NAMES.join(" | ")}`)
    .argument("<name>", WORKFLOW_NAMES.join(" | "))
    .argument("<dir>", "the repository (changed in place)")
    .option("--spec <feature.json>", "feature-add: the change ({ changes } or { instructions })")
    .option("--max-iterations <n>", "repair rounds before giving up", positiveInteger, 3)
    .option("--budget-tokens <n>", "token budget of the whole run", positiveInteger)
    .option("--budget-cost-usd <usd>", "cost budget of the whole run", finiteNumber)
    .option("--budget-wall-ms <ms>", "wall-clock budget of the whole run", positiveInteger)
    .option("--no-ingest", "skip indexing the repository into the context store first")
    .action(async (name: string, dir: string, flags: WorkflowFlags) => {
      if (!(WORKFLOW_NAMES as readonly string[]).includes(name)) throw usageError(`unknown workflow '${name}' (known: ${WORKFLOW_NAMES.join(", ")})`);
      const root = path.resolve(dir);
      if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new CliError(`workflow: ${root} is not a directory`, "NotFound");
      const feature = name === "feature-add" ? await readFeatureSpec(flags.spec) : undefined;
      const budget: Budget = {};
      if (flags.budgetTokens !== undefined) budget.tokens = flags.budgetTokens;
      if (flags.budgetCostUsd !== undefined) budget.costUsd = flags.budgetCostUsd;
      if (flags.budgetWallMs !== undefined) budget.wallMs = flags.budgetWallMs;
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const report = await runWorkflowCommand(ctx, project, name as WorkflowName, root, {
          ...(feature ? { feature } : {}),
          maxIterations: flags.maxIterations,
          ...(Object.keys(budget).length > 0 ? { budget } : {}),
          ingest: flags.ingest,
        });
        if (ctx.output.json) ctx.output.line({ ok: report.status === "succeeded", ...reportJson(report) });
        else ctx.output.raw(formatReport(report));
        if (report.status !== "succeeded") ctx.exitCode = 1;
      } finally {
        await project.close();
      }
    });
}
