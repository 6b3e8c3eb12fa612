import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Agent } from "@vltair/orchestrator";
import { readPluginConfig, type PluginConfig } from "./plugin-config.js";
import { PluginError } from "./plugin-error.js";
import { resolvePackageEntry } from "./resolve-package.js";

/** One loaded plugin and the agents it contributed. */
export interface LoadedPlugin {
  /** As written in the config. */
  specifier: string;
  /** The module file it resolved to. */
  file: string;
  agents: Agent[];
}

/** What {@link loadPlugins} found. */
export interface PluginLoadResult {
  /** The config file read, or undefined when there is none (then no plugins). */
  configFile: string | undefined;
  plugins: LoadedPlugin[];
  /** All agents of all plugins, in config order. */
  agents: Agent[];
}

/** Options of {@link loadPlugins}. */
export interface LoadPluginsOptions {
  /** Where `vltair.config.{json,mjs}` is looked for and package names are resolved from. */
  cwd: string;
  /** Use this config instead of reading a file (paths then resolve against `cwd`). */
  config?: PluginConfig;
}

function isPath(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/") || specifier.startsWith("file:");
}

function looksLikeAgent(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { run?: unknown }).run === "function" && "name" in value;
}

/** Checks one exported agent; the error names the plugin, the export and what is wrong. */
function checkAgent(specifier: string, exportName: string, value: unknown): Agent {
  const where = `plugin "${specifier}": export "${exportName}"`;
  const a = value as Partial<Agent>;
  if (typeof a.name !== "string" || a.name === "") throw new PluginError("PluginInvalid", `${where}: agent "name" must be a non-empty string`, { plugin: specifier });
  if (!Array.isArray(a.capabilities) || a.capabilities.some((c) => typeof c !== "string")) {
    throw new PluginError("PluginInvalid", `${where}: agent "${a.name}" needs "capabilities" as an array of strings`, { plugin: specifier });
  }
  if (typeof a.run !== "function") throw new PluginError("PluginInvalid", `${where}: agent "${a.name}" needs a "run" function`, { plugin: specifier });
  if (a.validatePayload !== undefined && typeof a.validatePayload !== "function") {
    throw new PluginError("PluginInvalid", `${where}: agent "${a.name}" has a "validatePayload" that is not a function`, { plugin: specifier });
  }
  return value as Agent;
}

/** Agents exported by a module: the default export and named exports that are agents or arrays of agents. */
function collectAgents(specifier: string, mod: Record<string, unknown>): Agent[] {
  const agents: Agent[] = [];
  const names = Object.keys(mod).sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const value = mod[name];
    if (Array.isArray(value)) {
      if (!value.some(looksLikeAgent) && name !== "default") continue; // an unrelated exported array
      value.forEach((v, i) => agents.push(checkAgent(specifier, `${name}[${i}]`, v)));
    } else if (looksLikeAgent(value) || (name === "default" && typeof value === "object" && value !== null)) {
      agents.push(checkAgent(specifier, name, value));
    }
  }
  // The same agent is often both the default and a named export: count it once.
  const unique = [...new Set(agents)];
  if (unique.length === 0) throw new PluginError("PluginInvalid", `plugin "${specifier}" exports no agent (export one made with defineAgent as default or named export)`, { plugin: specifier });
  return unique;
}

function resolvePlugin(specifier: string, cwd: string, configDir: string): string {
  if (isPath(specifier)) {
    return specifier.startsWith("file:") ? new URL(specifier).pathname : path.resolve(configDir, specifier);
  }
  const file = resolvePackageEntry(specifier, cwd);
  if (file === undefined) throw new PluginError("PluginNotFound", `plugin "${specifier}": package not found from ${cwd} (is it installed?)`, { plugin: specifier });
  return file;
}

/**
 * Loads the plugins listed in `vltair.config.json` / `vltair.config.mjs` in `cwd`: npm package names
 * (resolved from `cwd`) and file paths (relative to the config). Every exported agent is checked (name,
 * capabilities, run); agent names must be unique across plugins. Errors are {@link PluginError}s naming
 * the plugin and the problem.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<PluginLoadResult> {
  const cwd = path.resolve(options.cwd);
  const loaded = options.config === undefined ? await readPluginConfig(cwd) : { file: undefined, config: options.config };
  if (loaded === undefined) return { configFile: undefined, plugins: [], agents: [] };
  const configDir = loaded.file === undefined ? cwd : path.dirname(loaded.file);
  const plugins: LoadedPlugin[] = [];
  const seen = new Map<string, string>();
  for (const specifier of loaded.config.plugins) {
    const file = resolvePlugin(specifier, cwd, configDir);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (cause) {
      const code = existsSync(file) ? "PluginLoadFailed" : "PluginNotFound";
      throw new PluginError(code, `plugin "${specifier}": cannot import ${file}: ${(cause as Error).message}`, { plugin: specifier, cause });
    }
    const agents = collectAgents(specifier, mod);
    for (const agent of agents) {
      const other = seen.get(agent.name);
      if (other !== undefined) throw new PluginError("DuplicateAgent", `plugin "${specifier}": agent "${agent.name}" is already defined by plugin "${other}"`, { plugin: specifier });
      seen.set(agent.name, specifier);
    }
    plugins.push({ specifier, file, agents });
  }
  return { configFile: loaded.file, plugins, agents: plugins.flatMap((p) => p.agents) };
}
