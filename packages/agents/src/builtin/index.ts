import type { Agent } from "@vltair/orchestrator";
import { createCodeGenAgent } from "./codegen/agent.js";
import type { BuiltinAgentOptions } from "./options.js";
import { createDebugAgent } from "./debug/agent.js";
import { createPlanningAgent } from "./planning/agent.js";
import { createStaticAnalysisAgent } from "./static-analysis/agent.js";
import { createTestExecAgent } from "./testexec/agent.js";
import { createTestGenAgent } from "./testgen/agent.js";

export type { BuiltinAgentOptions } from "./options.js";
export { createCodeGenAgent, runCodeGen } from "./codegen/agent.js";
export { CodeGenPathError, type CodeGenChange } from "./codegen/changes.js";
export { PatchApplyError, PatchParseError } from "../patching/patch-apply.js";
export { TemplateError } from "./codegen/template.js";
export { ModelOutputError } from "./codegen/model.js";
export { createStaticAnalysisAgent } from "./static-analysis/agent.js";
export { analyzeWorkspace, STATIC_ANALYSIS_RULES, StaticAnalysisInputError, type StaticAnalysisOptions, type StaticAnalysisReport } from "./static-analysis/analyze.js";
export type { Finding, FindingSeverity } from "./static-analysis/finding.js";
export { createTestGenAgent } from "./testgen/agent.js";
export { generatedTestPath } from "./testgen/render.js";
export type { TestFramework } from "../testing/test-framework.js";
export { createPlanningAgent } from "./planning/agent.js";
export { PLAN_TEMPLATES, PLAN_STEP_AGENTS, templateForGoal, templateSteps, type PlanStep, type PlanStepAgent, type PlanTemplateName } from "./planning/templates.js";
export { createTestExecAgent } from "./testexec/agent.js";
export { detectTestCommand, TestCommandError, type TestCommand } from "../testing/test-command.js";
export { parseTap, type ParseTapOptions } from "../testing/reporters/tap-parser.js";
export type { ParsedTestCase, TestStatus, ReporterFormat } from "../testing/reporters/types.js";
export type { PathResolver } from "../testing/reporters/paths.js";
export { parseJestJson, ReporterOutputError } from "../testing/reporters/jest-json.js";
export { createDebugAgent, type DebugAgentOptions } from "./debug/agent.js";
export { rankByOchiai, type SuspiciousLine } from "../testing/coverage/ochiai.js";
export { mutationsOnLine, type Mutation, type MutationKind } from "./debug/mutation-operators.js";
export { DEFAULT_MAX_CANDIDATES } from "./debug/run.js";
export { SpectrumError, type Spectrum, type SpectrumTest } from "../testing/coverage/spectrum.js";

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
