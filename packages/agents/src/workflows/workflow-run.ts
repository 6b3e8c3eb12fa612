import type { AgentTask } from "@vltair/envelopes";
import type { Run, TaskOutcome } from "@vltair/orchestrator";
import { workspaceDigest } from "../workspace/workspace-digest.js";
import type { FeatureSpec, WorkflowName, WorkflowOptions, WorkflowStep } from "./workflow-types.js";
import { toStep } from "./workflow-steps.js";

/** Built-in agents that write files into the workspace. */
const WRITES_WORKSPACE: ReadonlySet<string> = new Set(["codegen", "testgen"]);

/** A workflow's view of its orchestrator run: deterministic task ids and step reporting. */
export class WorkflowRun {
  readonly steps: WorkflowStep[] = [];

  constructor(
    readonly run: Run,
    private readonly onStep?: (step: WorkflowStep) => void,
  ) {}

  get runId(): string {
    return this.run.runId;
  }

  /**
   * A task of this run with the id `<runId>/<step>`; retried once when an agent says it may be. Tasks
   * that only read the workspace are marked deterministic, so `resume` re-runs them after a crash; tasks
   * that write it are not (a crash may have left some files written), so they fail as interrupted.
   */
  task(step: string, agent: string, payload: Record<string, unknown>, dependsOn?: string[]): AgentTask {
    return {
      type: "AgentTask",
      id: `${this.run.runId}/${step}`,
      agent,
      payload,
      ...(dependsOn && dependsOn.length > 0 ? { dependsOn } : {}),
      constraints: { maxAttempts: 2, ...(WRITES_WORKSPACE.has(agent) ? {} : { deterministic: true }) },
      scope: "global",
      protocolVersion: 1,
    };
  }

  /** Submits one task and records its step. */
  async submit(task: AgentTask): Promise<TaskOutcome> {
    const outcome = await this.run.submit(task);
    this.#record(task, outcome);
    return outcome;
  }

  /** Submits a DAG batch (later tasks may depend on earlier ones) and records the steps in order. */
  async submitAll(tasks: readonly AgentTask[]): Promise<TaskOutcome[]> {
    const outcomes = await this.run.submitAll(tasks);
    tasks.forEach((task, i) => this.#record(task, outcomes[i]!));
    return outcomes;
  }

  #record(task: AgentTask, outcome: TaskOutcome): void {
    const step = toStep(task, outcome);
    this.steps.push(step);
    this.onStep?.(step);
  }
}

/** What a workflow's manifest records so `replay` can drive it again. */
export interface WorkflowManifest {
  workflow: WorkflowName;
  workspace: string;
  workspaceDigest: string;
  maxIterations: number;
  feature?: FeatureSpec;
}

/**
 * Ingests the workspace (when a store is given) and starts the orchestrator run of a workflow, recording
 * in its manifest what the run depends on: the workflow, its settings, the workspace and a digest of its
 * files.
 */
export async function startWorkflowRun(workflow: WorkflowName, root: string, options: WorkflowOptions): Promise<Run> {
  if (options.store) await options.store.ingest(root, { scope: "global" });
  const manifest: WorkflowManifest = {
    workflow,
    workspace: root,
    workspaceDigest: await workspaceDigest(root),
    maxIterations: options.maxIterations ?? 3,
  };
  if (options.feature) manifest.feature = options.feature;
  return options.orchestrator.startRun({
    ...(options.runId !== undefined ? { runId: options.runId } : {}),
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
    manifest: { ...manifest },
  });
}
