import type { Agent } from "@vltair/orchestrator";
import { createCodeGenAgent, type BuiltinAgentOptions } from "./code-gen-agent.js";
import { createDebugAgent } from "./debug-agent.js";
import { createPlanningAgent } from "./planning-agent.js";
import { createStaticAnalysisAgent } from "./static-analysis-agent.js";
import { createTestExecAgent } from "./test-exec-agent.js";
import { createTestGenAgent } from "./test-gen-agent.js";

export { createCodeGenAgent, runCodeGen, type BuiltinAgentOptions } from "./code-gen-agent.js";
export { CodeGenPathError, type CodeGenChange } from "./code-gen-changes.js";
export { PatchApplyError, PatchParseError } from "./patch-apply.js";
export { TemplateError } from "./code-gen-template.js";
export { ModelOutputError } from "./code-gen-model.js";
export { createStaticAnalysisAgent } from "./static-analysis-agent.js";
export { analyzeWorkspace, STATIC_ANALYSIS_RULES, StaticAnalysisInputError, type StaticAnalysisOptions, type StaticAnalysisReport } from "./static-analysis.js";
export type { Finding, FindingSeverity } from "./static-analysis-finding.js";
export { createTestGenAgent } from "./test-gen-agent.js";
export { generatedTestPath, type TestFramework } from "./test-gen-render.js";
export { createPlanningAgent } from "./planning-agent.js";
export { PLAN_TEMPLATES, PLAN_STEP_AGENTS, templateForGoal, templateSteps, type PlanStep, type PlanStepAgent, type PlanTemplateName } from "./plan-templates.js";
export { createTestExecAgent } from "./test-exec-agent.js";
export { detectTestCommand, TestCommandError, type TestCommand } from "./test-command.js";
export { parseTap, type ParseTapOptions } from "./tap-parser.js";
export type { ParsedTestCase, TestStatus, ReporterFormat } from "./reporter-types.js";
export type { PathResolver } from "./reporter-paths.js";
export { parseJestJson, ReporterOutputError } from "./reporter-jest-json.js";
export { createDebugAgent, type DebugAgentOptions } from "./debug-agent.js";
export { rankByOchiai, type SuspiciousLine } from "./ochiai.js";
export { mutationsOnLine, type Mutation, type MutationKind } from "./mutation-operators.js";
export { DEFAULT_MAX_CANDIDATES } from "./debug-run.js";
export { SpectrumError, type Spectrum, type SpectrumTest } from "./spectrum.js";

/**
 * The six built-in agents — `codegen`, `debug`, `planning`, `static-analysis`, `testexec`, `testgen` —
 * each offline unless `options.model` is given.
 */
export function builtinAgents(options: BuiltinAgentOptions = {}): Agent[] {
  return [
    createCodeGenAgent(options),
    createDebugAgent(options),
    createPlanningAgent(options),
    createStaticAnalysisAgent(options),
    createTestExecAgent(options),
    createTestGenAgent(options),
  ];
}
