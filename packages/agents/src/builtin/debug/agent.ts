/**
 * `DebugAgent` (`debug`): spectrum-based fault localisation and a verified minimal patch — from the
 * model when one is configured, else (or when its patches fail) from a deterministic mutation search.
 */
import type { AgentTask, DebugPayload } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import type { AgentOutput } from "@vltair/orchestrator";
import type { AgentKitContext } from "../../sdk/agent-kit-context.js";
import { defineAgent, type DefinedAgent } from "../../sdk/define-agent.js";
import { runSandboxed } from "../../sandbox/run-sandboxed.js";
import type { BuiltinAgentOptions } from "../options.js";
import { createModelRepairer } from "./model-repair.js";
import { runDebug, type DebugEnvironment } from "./run.js";

/** Options of {@link createDebugAgent}. */
export interface DebugAgentOptions extends BuiltinAgentOptions {
  /** Default bound of the offline search when the payload sets none (default 200). */
  maxCandidates?: number;
}

/** How many context-store hits are asked for per suspicious line. */
const CONTEXT_HITS = 5;

function environment(ctx: AgentKitContext<DebugPayload>): DebugEnvironment {
  const env: DebugEnvironment = {
    workspace: ctx.workspace,
    effect: (tool, input, run) => ctx.effect(tool, input, run),
    runSandboxDirect: (spec) => runSandboxed(spec, { signal: ctx.signal }),
    signal: ctx.signal,
  };
  const context = ctx.context;
  if (context !== undefined) env.searchContext = (text) => context.search(text, { k: CONTEXT_HITS, kinds: ["code"], mode: "hybrid" });
  const model = ctx.model;
  if (model !== undefined) {
    env.modelRepair = createModelRepairer({
      chat: (messages, options) => model.chat(messages, { ...options, temperature: 0 }),
      prompt: ctx.prompts.load("debug-repair"),
      readFile: (file) => ctx.workspace.readFile(file),
      runSandbox: (spec) => ctx.sandbox.run(spec),
    });
  }
  return env;
}

/**
 * Creates the `debug` agent (capability `code.debug`). Offline it needs a node:test suite (per-test
 * V8 coverage); its `patch` artifact applies cleanly to the workspace and was verified by the full
 * suite in the sandbox.
 *
 * @example
 * ```ts
 * orchestrator.register(createDebugAgent());
 * await orchestrator.submit(createTask({ agent: "debug", payload: { workspace: "examples/fix-me" } }));
 * ```
 */
export function createDebugAgent(options: DebugAgentOptions = {}): DefinedAgent<DebugPayload> {
  return defineAgent<DebugPayload>({
    name: "debug",
    version: "1.0.0",
    capabilities: ["code.debug"],
    payloadSchema: (payload) => validatePayload("debug", payload),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.prompts === undefined ? {} : { prompts: options.prompts }),
    async run(_task: AgentTask, ctx: AgentKitContext<DebugPayload>): Promise<AgentOutput> {
      const payload = ctx.payload.maxCandidates === undefined && options.maxCandidates !== undefined ? { ...ctx.payload, maxCandidates: options.maxCandidates } : ctx.payload;
      const outcome = await runDebug(payload, environment(ctx));
      return { payload: { artifacts: outcome.artifacts }, metrics: {} };
    },
  });
}
