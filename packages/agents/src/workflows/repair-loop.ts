import { appliedDiff, failingTests, type Patches } from "./workflow-steps.js";
import type { WorkflowRun } from "./workflow-run.js";
import type { WorkflowOutcome } from "./workflow-types.js";

/**
 * The repair loop both workflows end with: each round is one DAG batch — Debug (localise the fault and
 * find a patch verified in the sandbox) → CodeGen (apply it, `fromDependencies`) → TestExec — until the
 * suite passes, a round finds no repair, or the rounds run out.
 */
export async function repairLoop(run: WorkflowRun, root: string, initiallyFailing: string[], maxIterations: number, patches: Patches, success: string): Promise<WorkflowOutcome> {
  let failing = initiallyFailing;
  for (let round = 1; round <= maxIterations; round++) {
    const debug = run.task(`debug-${round}`, "debug", { workspace: root, failingTests: failing });
    const codegen = run.task(`codegen-${round}`, "codegen", { workspace: root, fromDependencies: true }, [debug.id]);
    const verify = run.task(`testexec-${round}`, "testexec", { workspace: root }, [codegen.id]);
    const [d, c, v] = await run.submitAll([debug, codegen, verify]);
    if (!d || !c || !v) throw new Error("submitAll returned fewer outcomes than tasks");
    if (d.type === "AgentError") return patches.outcome("failed", `no repair found: ${d.error.message}`, round);
    if (c.type === "AgentError") return patches.outcome("failed", `the patch could not be applied: ${c.error.message}`, round);
    patches.add(appliedDiff(c));
    if (v.type === "AgentResult") return patches.outcome("succeeded", `${success} after ${round} repair round${round === 1 ? "" : "s"}`, round);
    if (v.error.code !== "TestFailure") return patches.outcome("failed", `could not run the tests: ${v.error.message}`, round);
    failing = failingTests(v);
  }
  return patches.outcome("failed", `tests still fail after ${maxIterations} repair rounds: ${failing.join(", ")}`, maxIterations);
}
