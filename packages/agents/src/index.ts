/**
 * VLTAIR's agent SDK: {@link defineAgent} and the {@link AgentKitContext} handlers receive, the model layer
 * (providers, an OpenAI-compatible client, a record/replay {@link Cassette}, a scripted {@link MockModel}),
 * versioned prompts, the {@link runSandboxed | sandbox} for running project code, and plugin loading.
 *
 * @packageDocumentation
 */

/** Agent definition. */
export {
  AgentDefinitionError,
  defineAgent,
  PayloadValidationError,
  type AgentDefinition,
  type DefinedAgent,
  type JsonSchemaObject,
  type PayloadValidator,
} from "./sdk/define-agent.js";
/** The context agent handlers receive. */
export { createAgentKitContext, journaledSandboxSpec, type AgentKitContext, type AgentKitOptions, type Sandbox } from "./sdk/agent-kit-context.js";
/** Journaled file access confined to a root. */
export { createWorkspaceIO, resolveInside, WorkspacePathError, type ListFilesOptions, type WorkspaceIO } from "./workspace/workspace-io.js";
/** Versioned prompt files. */
export { DEFAULT_PROMPTS_DIR, PromptError, PromptLibrary, type PromptTemplate } from "./sdk/prompt-library.js";

/** Model layer. */
export type { ChatMessage, ChatOptions, ModelClient, ModelDefaults, ModelProvider } from "./model/model-provider.js";
export { createModelClient, type JournaledModelRequest } from "./model/model-client.js";
export { OpenAICompatibleProvider, type OpenAICompatibleOptions, type ProviderResponse } from "./model/openai-compatible-provider.js";
export { MockModel, type MockStep } from "./model/mock-model.js";
export { Cassette, type CassetteEntry, type CassetteFile } from "./model/cassette.js";
export { CassetteMiss, ModelError, type ModelErrorCode } from "./model/model-errors.js";
export { modelFromEnv } from "./model/model-from-env.js";
export { requestKey } from "./model/request-key.js";

/** Sandbox. */
export { runProcess, type ProcessResult, type RunProcessOptions } from "./sandbox/run-process.js";
export { runSandboxed, type SandboxIsolation, type SandboxLimit, type SandboxResult, type SandboxRunOptions } from "./sandbox/run-sandboxed.js";
export { probeSandboxCapabilities, type SandboxCapabilities } from "./sandbox/sandbox-capabilities.js";
export { SANDBOX_DEFAULTS, type SandboxSpec } from "./sandbox/sandbox-spec.js";
export { SandboxError, type SandboxErrorCode } from "./sandbox/sandbox-error.js";
export type { CoverageRange, FileCoverage, FunctionCoverage } from "./sandbox/v8-coverage.js";

/** Plugins. */
export { loadPlugins, type LoadedPlugin, type LoadPluginsOptions, type PluginLoadResult } from "./plugins/load-plugins.js";
export { PLUGIN_CONFIG_FILES, readPluginConfig, type LoadedPluginConfig, type PluginConfig } from "./plugins/plugin-config.js";
export { PluginError, type PluginErrorCode } from "./plugins/plugin-error.js";
export { resolvePackageEntry } from "./plugins/resolve-package.js";

/** The built-in software agents. */
export * from "./builtin/index.js";
/** The built-in workflows: feature-add and fix-failing-test. */
export * from "./workflows/index.js";
