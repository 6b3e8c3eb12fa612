import type { AgentTask } from "@vltair/envelopes";
import type { Agent, AgentContext, AgentOutput } from "@vltair/orchestrator";
import { Ajv, type ErrorObject } from "ajv";
import { createAgentKitContext, type AgentKitContext } from "./agent-kit-context.js";
import type { ModelProvider } from "../model/model-provider.js";
import type { PromptLibrary } from "./prompt-library.js";
import type { SandboxRunOptions } from "../sandbox/run-sandboxed.js";

/** A JSON Schema object (draft 2020-12 or draft-07 keywords ajv understands). */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

/** A payload validator: returns the (possibly normalised) payload or throws. */
export type PayloadValidator<P> = (payload: unknown) => P;

/** What {@link defineAgent} needs. */
export interface AgentDefinition<P = unknown> {
  /** Routing name: tasks with `agent: name` reach this agent. */
  name: string;
  version: string;
  /** What the agent can do (tasks may require capabilities). */
  capabilities: readonly string[];
  /** A JSON Schema (compiled once with ajv) or a validator function; without it any payload passes. */
  payloadSchema?: JsonSchemaObject | PayloadValidator<P>;
  /** The model provider; without one `ctx.model` is absent and the agent runs offline. */
  model?: ModelProvider;
  /** Prompt files (default: the package's `prompts/`). */
  prompts?: PromptLibrary;
  /** Isolation switches for `ctx.sandbox` runs. */
  sandboxOptions?: SandboxRunOptions;
  run(task: AgentTask, ctx: AgentKitContext<P>): Promise<AgentOutput>;
}

/** An agent made by {@link defineAgent}. */
export interface DefinedAgent<P = unknown> extends Agent {
  readonly version: string;
  /** The model recorded in the run manifest: its id and default parameters (never the provider object). */
  readonly model: { id: string; params?: Record<string, unknown> } | undefined;
  /** The provider `ctx.model` calls, or undefined (offline). */
  readonly provider: ModelProvider | undefined;
  /** Checks a payload; throws {@link PayloadValidationError} saying what is wrong and where. */
  validatePayload(payload: unknown): void;
  /** The same agent with another model provider (or none). */
  withModel(model: ModelProvider | undefined): DefinedAgent<P>;
}

/** A payload rejected by an agent's schema; the orchestrator fails the task with `ValidationFailure`. */
export class PayloadValidationError extends Error {
  readonly code = "ValidationFailure" as const;
  readonly retryable = false;
  /** JSON Pointer + message per problem. */
  readonly issues: readonly { pointer: string; message: string }[];

  constructor(agent: string, issues: { pointer: string; message: string }[]) {
    super(`agent "${agent}": invalid payload: ${issues.map((i) => `${i.pointer || "/"} ${i.message}`).join("; ")}`);
    this.name = "PayloadValidationError";
    this.issues = issues;
  }
}

/** A definition that cannot make an agent. */
export class AgentDefinitionError extends Error {
  readonly code = "InvalidAgentDefinition" as const;

  constructor(message: string) {
    super(message);
    this.name = "AgentDefinitionError";
  }
}

function issuesOf(errors: readonly ErrorObject[] | null | undefined): { pointer: string; message: string }[] {
  return (errors ?? []).map((e) => {
    const missing = e.keyword === "required" ? `/${String((e.params as { missingProperty?: string }).missingProperty)}` : "";
    const extra = e.keyword === "additionalProperties" ? `/${String((e.params as { additionalProperty?: string }).additionalProperty)}` : "";
    return { pointer: e.instancePath + (missing || extra), message: e.message ?? e.keyword };
  });
}

function compileValidator<P>(name: string, schema: AgentDefinition<P>["payloadSchema"]): PayloadValidator<P> {
  if (schema === undefined) return (payload) => payload as P;
  if (typeof schema === "function") {
    return (payload) => {
      try {
        return schema(payload);
      } catch (e) {
        if (e instanceof PayloadValidationError) throw e;
        throw new PayloadValidationError(name, [{ pointer: "", message: e instanceof Error ? e.message : String(e) }]);
      }
    };
  }
  if (typeof schema !== "object" || schema === null) throw new AgentDefinitionError(`agent "${name}": payloadSchema must be a JSON Schema object or a function`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate: ReturnType<Ajv["compile"]>;
  try {
    validate = ajv.compile(schema);
  } catch (e) {
    throw new AgentDefinitionError(`agent "${name}": payloadSchema does not compile: ${(e as Error).message}`);
  }
  return (payload) => {
    if (!validate(payload)) throw new PayloadValidationError(name, issuesOf(validate.errors));
    return payload as P;
  };
}

function checkDefinition(def: AgentDefinition<unknown>): void {
  if (typeof def !== "object" || def === null) throw new AgentDefinitionError("defineAgent: the definition must be an object");
  if (typeof def.name !== "string" || !/^[a-z0-9][a-z0-9._-]*$/i.test(def.name)) {
    throw new AgentDefinitionError(`defineAgent: "name" must be a non-empty identifier (letters, digits, . _ -), got ${JSON.stringify(def.name)}`);
  }
  if (typeof def.version !== "string" || def.version === "") throw new AgentDefinitionError(`agent "${def.name}": "version" must be a non-empty string`);
  if (!Array.isArray(def.capabilities) || def.capabilities.some((c) => typeof c !== "string" || c === "")) {
    throw new AgentDefinitionError(`agent "${def.name}": "capabilities" must be an array of non-empty strings`);
  }
  if (typeof def.run !== "function") throw new AgentDefinitionError(`agent "${def.name}": "run" must be a function`);
}

/**
 * Makes an orchestrator `Agent` from a definition. Its `validatePayload` applies `payloadSchema`; its
 * `run` validates again (replay and direct calls skip nothing) and hands the handler an
 * {@link AgentKitContext} whose model, sandbox and workspace all go through the orchestrator's journal.
 */
export function defineAgent<P = unknown>(definition: AgentDefinition<P>): DefinedAgent<P> {
  checkDefinition(definition);
  const validator = compileValidator(definition.name, definition.payloadSchema);
  const capabilities = Object.freeze([...definition.capabilities]);
  const make = (model: ModelProvider | undefined): DefinedAgent<P> => ({
    name: definition.name,
    version: definition.version,
    capabilities,
    model: model === undefined ? undefined : { id: model.id, params: { ...model.defaults } },
    provider: model,
    validatePayload(payload: unknown) {
      validator(payload);
    },
    async run(task: AgentTask, ctx: AgentContext) {
      const payload = validator(task.payload);
      const kit = createAgentKitContext<P>(ctx, {
        payload,
        ...(model === undefined ? {} : { model }),
        ...(definition.prompts === undefined ? {} : { prompts: definition.prompts }),
        ...(definition.sandboxOptions === undefined ? {} : { sandboxOptions: definition.sandboxOptions }),
      });
      return definition.run(task, kit);
    },
    withModel: (next) => make(next),
  });
  return make(definition.model);
}
