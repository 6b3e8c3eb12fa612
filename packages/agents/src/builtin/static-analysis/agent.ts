/**
 * `StaticAnalysisAgent` (`static-analysis`): TypeScript diagnostics, AST rules and secret detection over a
 * workspace, reported as one `analysis` artifact per finding plus a severity summary. Findings never fail
 * the task; unreadable input (unknown rule, missing file, bad workspace) does.
 */
import type { AgentTask, Artifact, StaticAnalysisPayload } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import { AgentFailure, findSecrets, type AgentOutput } from "@vltair/orchestrator";
import type { AgentKitContext } from "../../sdk/agent-kit-context.js";
import { defineAgent, type DefinedAgent } from "../../sdk/define-agent.js";
import type { BuiltinAgentOptions } from "../options.js";
import { analyzeWorkspace, type StaticAnalysisReport } from "./analyze.js";
import { findingToArtifact, summariseFindings } from "./finding.js";

/** Errors of the analysis core that mean "bad input" (`code: "ValidationFailure"`), as opposed to bugs. */
function isInputError(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === "ValidationFailure";
}

/** Runs the whole analysis as ONE journaled effect: a replay returns the recorded findings and reads nothing. */
function analyse(ctx: AgentKitContext<StaticAnalysisPayload>): Promise<StaticAnalysisReport> {
  const { files, rules } = ctx.payload;
  const root = ctx.workspace.root;
  const input = { root, files: files ?? null, rules: rules ?? null };
  return ctx.effect("static-analysis.run", input, () => analyzeWorkspace(root, { files, rules, findSecrets }));
}

async function runStaticAnalysis(_task: AgentTask, ctx: AgentKitContext<StaticAnalysisPayload>): Promise<AgentOutput> {
  let report: StaticAnalysisReport;
  try {
    report = await analyse(ctx);
  } catch (error) {
    if (isInputError(error)) throw new AgentFailure("ValidationFailure", `static-analysis: ${error.message}`, { cause: error });
    throw error;
  }
  const artifacts: Artifact[] = report.findings.map(findingToArtifact);
  artifacts.push({ kind: "text", title: "static analysis summary", content: summariseFindings(report.findings, report.filesAnalysed) });
  return { payload: { artifacts } };
}

/**
 * Creates the `static-analysis` agent (capability `code.analyze`). It needs no model: compiler
 * diagnostics (the project's tsconfig, or strict defaults), AST rules and the orchestrator's secret
 * patterns. Payload rules select among `STATIC_ANALYSIS_RULES`; `files` limits what is reported.
 *
 * @example
 * ```ts
 * orchestrator.register(createStaticAnalysisAgent());
 * await orchestrator.submit(createTask({ agent: "static-analysis", payload: { workspace: ".", rules: ["typescript", "secret"] } }));
 * ```
 */
export function createStaticAnalysisAgent(options: BuiltinAgentOptions = {}): DefinedAgent<StaticAnalysisPayload> {
  return defineAgent<StaticAnalysisPayload>({
    name: "static-analysis",
    version: "1.0.0",
    capabilities: ["code.analyze"],
    payloadSchema: (payload) => validatePayload("static-analysis", payload),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.prompts === undefined ? {} : { prompts: options.prompts }),
    run: runStaticAnalysis,
  });
}
