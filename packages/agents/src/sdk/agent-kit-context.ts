import type { AgentContext } from "@vltair/orchestrator";
import { createModelClient } from "../model/model-client.js";
import type { ModelClient, ModelProvider } from "../model/model-provider.js";
import { PromptLibrary } from "./prompt-library.js";
import { runSandboxed, type SandboxResult, type SandboxRunOptions } from "../sandbox/run-sandboxed.js";
import { resolveSandboxSpec, type SandboxSpec } from "../sandbox/sandbox-spec.js";
import { createWorkspaceIO, type WorkspaceIO } from "../workspace/workspace-io.js";

/** The sandbox as an agent sees it: runs are journaled as `sandbox.run`, and a replay never re-runs them. */
export interface Sandbox {
  run(spec: SandboxSpec): Promise<SandboxResult>;
}

/**
 * What a {@link defineAgent} handler receives: the orchestrator's `AgentContext` plus the validated
 * payload, the model (only when a provider is configured), the sandbox, workspace file access and the
 * prompt library.
 */
export interface AgentKitContext<P = unknown> extends AgentContext {
  /** The task's payload, as the agent's `payloadSchema` validated (and, for a function, returned) it. */
  readonly payload: P;
  /** Chat calls through `ctx.callModel` (budgeted, journaled, replayed); absent when no model is configured. */
  readonly model?: ModelClient;
  readonly sandbox: Sandbox;
  /** Files under the payload's `workspace` directory (the process's cwd when the payload has none). */
  readonly workspace: WorkspaceIO;
  /** Journaled file access under another root. */
  openWorkspace(root: string): WorkspaceIO;
  readonly prompts: PromptLibrary;
}

/** How {@link createAgentKitContext} equips the context. */
export interface AgentKitOptions<P> {
  payload: P;
  model?: ModelProvider;
  prompts?: PromptLibrary;
  sandboxOptions?: SandboxRunOptions;
}

/** The part of a sandbox spec that is journaled: env values are dropped (they may hold secrets). */
export function journaledSandboxSpec(spec: SandboxSpec): Record<string, unknown> {
  const { env, ...rest } = spec;
  return env === undefined ? { ...rest } : { ...rest, env: Object.keys(env).sort() };
}

function workspaceOf(payload: unknown): string {
  if (typeof payload === "object" && payload !== null && typeof (payload as { workspace?: unknown }).workspace === "string") {
    return (payload as { workspace: string }).workspace;
  }
  return process.cwd();
}

/**
 * Wraps an orchestrator context into an {@link AgentKitContext}. Every field of `ctx` is delegated (not
 * copied), so getters and methods keep working on the original object.
 */
export function createAgentKitContext<P>(ctx: AgentContext, options: AgentKitOptions<P>): AgentKitContext<P> {
  const sandbox: Sandbox = {
    run(spec) {
      resolveSandboxSpec(spec); // a bad spec fails here, before anything is journaled
      // The task's signal (timeout, cancellation) kills the run's whole tree at once.
      return ctx.effect("sandbox.run", journaledSandboxSpec(spec), () => runSandboxed(spec, { ...options.sandboxOptions, signal: ctx.signal }));
    },
  };
  let workspace: WorkspaceIO | undefined;
  const model = options.model === undefined ? undefined : createModelClient(options.model, ctx);
  const prompts = options.prompts ?? new PromptLibrary();
  const kit: AgentKitContext<P> = {
    get task() {
      return ctx.task;
    },
    get runId() {
      return ctx.runId;
    },
    get attempt() {
      return ctx.attempt;
    },
    get signal() {
      return ctx.signal;
    },
    get logger() {
      return ctx.logger;
    },
    get clock() {
      return ctx.clock;
    },
    get random() {
      return ctx.random;
    },
    get replaying() {
      return ctx.replaying;
    },
    get trace() {
      return ctx.trace;
    },
    get dependencies() {
      return ctx.dependencies;
    },
    get context() {
      return ctx.context;
    },
    get budget() {
      return ctx.budget;
    },
    effect: (tool, input, run) => ctx.effect(tool, input, run),
    callModel: (request, invoke) => ctx.callModel(request, invoke),
    payload: options.payload,
    sandbox,
    get workspace() {
      workspace ??= createWorkspaceIO(workspaceOf(options.payload), ctx);
      return workspace;
    },
    openWorkspace: (root) => createWorkspaceIO(root, ctx),
    prompts,
  };
  if (model !== undefined) Object.defineProperty(kit, "model", { value: model, enumerable: true });
  return kit;
}
