import type { TaskOutcome } from "@vltair/orchestrator";
import { isTestFile } from "../builtin/static-analysis/rules.js";
import { appliedDiff, failingTests, Patches } from "./workflow-steps.js";
import type { WorkflowRun } from "./workflow-run.js";
import { repairLoop } from "./repair-loop.js";
import type { WorkflowOutcome, WorkflowSettings } from "./workflow-types.js";

/** Files a CodeGen result changed (its patch targets), sorted. */
function changedFiles(outcome: TaskOutcome): string[] {
  if (outcome.type !== "AgentResult") return [];
  const targets = (outcome.payload.artifacts ?? []).flatMap((a) => (a.kind === "patch" ? [a.target] : []));
  return [...new Set(targets)].sort();
}

/** Source files among `files` (not tests): what TestGen writes tests for. */
function sourceModules(files: string[]): string[] {
  return files.filter((f) => /\.(m?[jt]s)$/.test(f) && !isTestFile(f));
}

/**
 * Workflow A, add a feature: CodeGen → StaticAnalysis → TestGen → TestExec, then
 * (Debug → CodeGen → TestExec)* until the suite passes or `maxIterations` / the budget runs out.
 */
export async function driveFeatureAdd(run: WorkflowRun, root: string, settings: WorkflowSettings): Promise<WorkflowOutcome> {
  if (!settings.feature) throw new TypeError("the feature-add workflow needs a feature (changes or instructions)");
  const patches = new Patches();
  const codegen = await run.submit(run.task("codegen", "codegen", { workspace: root, ...settings.feature }));
  if (codegen.type === "AgentError") return { status: "failed", reason: `the change could not be made: ${codegen.error.message}`, iterations: 0 };
  patches.add(appliedDiff(codegen));
  const files = changedFiles(codegen);

  const analysis = run.task("static-analysis", "static-analysis", { workspace: root, files });
  const testgen = run.task("testgen", "testgen", { workspace: root, modules: sourceModules(files) }, [analysis.id]);
  const testexec = run.task("testexec", "testexec", { workspace: root }, [testgen.id]);
  const [a, g, t] = await run.submitAll([analysis, testgen, testexec]);
  if (!a || !g || !t) throw new Error("submitAll returned fewer outcomes than tasks");
  if (a.type === "AgentError") return patches.outcome("failed", `static analysis failed: ${a.error.message}`, 0);
  if (g.type === "AgentError") return patches.outcome("failed", `tests could not be generated: ${g.error.message}`, 0);
  patches.add(appliedDiff(g));
  if (t.type === "AgentResult") return patches.outcome("succeeded", "the feature is in and every test passes", 0);
  if (t.error.code !== "TestFailure") return patches.outcome("failed", `could not run the tests: ${t.error.message}`, 0);
  return repairLoop(run, root, failingTests(t), settings.maxIterations ?? 3, patches, "the feature is in; every test passes");
}
