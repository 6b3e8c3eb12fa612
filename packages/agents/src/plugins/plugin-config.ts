import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PluginError } from "./plugin-error.js";

/** The `vltair.config.{json,mjs}` shape this loader reads. */
export interface PluginConfig {
  /** npm package names, or file paths relative to the config file (`./x.mjs`, `../y/index.mjs`). */
  plugins: string[];
}

/** A config file found and parsed. */
export interface LoadedPluginConfig {
  file: string;
  config: PluginConfig;
}

/** Config file names tried in `cwd`, in this order. */
export const PLUGIN_CONFIG_FILES = ["vltair.config.json", "vltair.config.mjs"] as const;

function checkConfig(file: string, value: unknown): PluginConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PluginError("ConfigInvalid", `${file}: the configuration must be an object`);
  }
  const plugins = (value as { plugins?: unknown }).plugins ?? [];
  if (!Array.isArray(plugins)) throw new PluginError("ConfigInvalid", `${file}: "plugins" must be an array of strings`);
  for (const [i, p] of plugins.entries()) {
    if (typeof p !== "string" || p.trim() === "") throw new PluginError("ConfigInvalid", `${file}: plugins[${i}] must be a non-empty string, got ${JSON.stringify(p)}`);
  }
  return { plugins: plugins as string[] };
}

/** Reads `vltair.config.json` or else `vltair.config.mjs` (its default export) from `cwd`; undefined when neither exists. */
export async function readPluginConfig(cwd: string): Promise<LoadedPluginConfig | undefined> {
  for (const name of PLUGIN_CONFIG_FILES) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    let value: unknown;
    if (name.endsWith(".json")) {
      try {
        value = JSON.parse(readFileSync(file, "utf8"));
      } catch (cause) {
        throw new PluginError("ConfigInvalid", `${file}: not valid JSON: ${(cause as Error).message}`, { cause });
      }
    } else {
      try {
        const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
        value = mod.default;
      } catch (cause) {
        throw new PluginError("ConfigInvalid", `${file}: cannot be imported: ${(cause as Error).message}`, { cause });
      }
    }
    return { file, config: checkConfig(file, value) };
  }
  return undefined;
}
