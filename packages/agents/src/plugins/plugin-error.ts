/** Stable codes of {@link PluginError}. */
export type PluginErrorCode = "ConfigInvalid" | "PluginNotFound" | "PluginLoadFailed" | "PluginInvalid" | "DuplicateAgent";

/** A plugin configuration or a plugin that cannot be used; the message names the plugin and the problem. */
export class PluginError extends Error {
  readonly code: PluginErrorCode;
  /** The plugin specifier as written in the config, when the problem is one plugin's. */
  readonly plugin: string | undefined;

  constructor(code: PluginErrorCode, message: string, options: { plugin?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PluginError";
    this.code = code;
    this.plugin = options.plugin;
  }
}
