import type { ModelProvider } from "../model/model-provider.js";
import type { PromptLibrary } from "../sdk/prompt-library.js";

/** Options of the built-in agents: a model provider (absent → offline) and a prompt library. */
export interface BuiltinAgentOptions {
  /** The model; without one the agent works offline. */
  model?: ModelProvider;
  /** Prompt files (default: the package's `prompts/`). */
  prompts?: PromptLibrary;
}
