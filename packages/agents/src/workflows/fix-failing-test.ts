import { failingTests, Patches } from "./workflow-steps.js";
import type { WorkflowRun } from "./workflow-run.js";
import { repairLoop } from "./repair-loop.js";
import type { WorkflowOutcome, WorkflowSettings } from "./workflow-types.js";

/**
 * Workflow B, fix a failing test: TestExec, then (Debug → CodeGen → TestExec)* until the suite passes, a
 * round finds no repair, or `maxIterations` / the budget runs out.
 */
export async function driveFixFailingTest(run: WorkflowRun, root: string, settings: WorkflowSettings): Promise<WorkflowOutcome> {
  const first = await run.submit(run.task("testexec", "testexec", { workspace: root }));
  if (first.type === "AgentResult") return { status: "succeeded", reason: "the tests already pass; nothing to fix", iterations: 0 };
  if (first.error.code !== "TestFailure") return { status: "failed", reason: `could not run the tests: ${first.error.message}`, iterations: 0 };
  return repairLoop(run, root, failingTests(first), settings.maxIterations ?? 3, new Patches(), "all tests pass");
}
