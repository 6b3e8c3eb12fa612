import path from "node:path";
import type { Run } from "@vltair/orchestrator";
import { driveFeatureAdd } from "./feature-add.js";
import { driveFixFailingTest } from "./fix-failing-test.js";
import { startWorkflowRun, WorkflowRun } from "./workflow-run.js";
import type { WorkflowName, WorkflowOptions, WorkflowOutcome, WorkflowReport, WorkflowSettings } from "./workflow-types.js";

export { workspaceDigest } from "../workspace/workspace-digest.js";
export { WORKFLOW_NAMES } from "./workflow-types.js";
export type { WorkflowManifest } from "./workflow-run.js";
export type { FeatureSpec, WorkflowName, WorkflowOptions, WorkflowOutcome, WorkflowReport, WorkflowSettings, WorkflowStep } from "./workflow-types.js";

/**
 * Drives a workflow's steps on an open run (no ingest, no finish): what {@link runWorkflow} does inside
 * its run, and what `Orchestrator.replay(runId, { drive })` re-executes.
 */
export async function driveWorkflow(name: WorkflowName, run: Run, workspace: string, settings: WorkflowSettings = {}): Promise<WorkflowReport> {
  const root = path.resolve(workspace);
  const workflowRun = new WorkflowRun(run, settings.onStep);
  let outcome: WorkflowOutcome;
  switch (name) {
    case "fix-failing-test":
      outcome = await driveFixFailingTest(workflowRun, root, settings);
      break;
    case "feature-add":
      outcome = await driveFeatureAdd(workflowRun, root, settings);
      break;
    default:
      throw new TypeError(`unknown workflow '${String(name)}' (known: feature-add, fix-failing-test)`);
  }
  return { workflow: name, runId: run.runId, ...outcome, steps: workflowRun.steps };
}

/**
 * Runs a built-in workflow as one journaled orchestrator run: ingests the workspace into the store (when
 * given), starts the run (manifest: workflow, settings, workspace digest), drives the steps, finishes the
 * run. `feature-add` needs `options.feature`.
 */
export async function runWorkflow(name: WorkflowName, workspace: string, options: WorkflowOptions): Promise<WorkflowReport> {
  const root = path.resolve(workspace);
  if (name === "feature-add" && !options.feature) throw new TypeError("the feature-add workflow needs options.feature (changes or instructions)");
  const run = await startWorkflowRun(name, root, options);
  let report: WorkflowReport;
  try {
    report = await driveWorkflow(name, run, root, options);
  } catch (error) {
    // Close the run (journal, lock, span) before reporting what broke the workflow.
    await run.finish({ status: "failed" });
    throw error;
  }
  // The run's status is the workflow's verdict: a first TestExec that fails is expected, not a failure.
  await run.finish({ status: report.status });
  return report;
}
