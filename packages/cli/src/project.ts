import { readFile } from "node:fs/promises";
import path from "node:path";
import { openContextStore, type ContextStore } from "@vltair/context-store";
import { Orchestrator, createRedactor, writeFileAtomic, type Redactor } from "@vltair/orchestrator";
import { builtinAgents, loadPlugins, modelFromEnv } from "@vltair/agents";
import { CliError } from "./cli-error.js";
import type { GlobalOptions } from "./context.js";

/** `.vltair/config.json`: what `vltair init` writes; every field has a default. */
export interface ProjectConfig {
  version: 1;
  /** Seed of the scheduler's RNG (retry jitter, run ids): the same seed gives the same journal. */
  seed: number;
  /** Journal durability: `commit` fsyncs (group commit), `flush` hands to the OS, `none` buffers. */
  durability: "none" | "flush" | "commit";
  /** Tasks running at once. */
  concurrency: number;
}

/** The defaults `vltair init` writes. */
export const DEFAULT_CONFIG: ProjectConfig = { version: 1, seed: 42, durability: "commit", concurrency: 2 };

/** Reads `<dir>/config.json`, falling back to the defaults; a malformed file is an error, not ignored. */
export async function loadConfig(dir: string): Promise<ProjectConfig> {
  const file = path.join(dir, "config.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    // No config yet means the defaults; any other failure (permissions, a directory) is reported.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return DEFAULT_CONFIG;
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, "InvalidConfig");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: not valid JSON (${(error as Error).message})`, "InvalidConfig");
  }
  const config = { ...DEFAULT_CONFIG, ...(parsed as Partial<ProjectConfig>) };
  if (!Number.isSafeInteger(config.seed)) throw new CliError(`${file}: seed must be an integer`, "InvalidConfig");
  if (!["none", "flush", "commit"].includes(config.durability)) {
    throw new CliError(`${file}: durability must be none, flush or commit`, "InvalidConfig");
  }
  if (!Number.isSafeInteger(config.concurrency) || config.concurrency < 1) {
    throw new CliError(`${file}: concurrency must be a positive integer`, "InvalidConfig");
  }
  return config;
}

/** Writes `<dir>/config.json` atomically. */
export async function saveConfig(dir: string, config: ProjectConfig): Promise<string> {
  const file = path.join(dir, "config.json");
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** The redactor the CLI's flags and the environment ask for. */
export function redactorFor(globals: GlobalOptions, env: Record<string, string | undefined>): Redactor {
  const split = (list: string | undefined) => (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return createRedactor({
    env,
    prefixes: split(globals.redactPrefix),
    fields: split(globals.redactFields),
  });
}

/**
 * A project's persistent state (`.vltair/` or `--dir`): the context store, the orchestrator with the
 * built-in agents and the configured plugins, opened lazily and closed together.
 */
export class Project {
  #store?: ContextStore;
  #orchestrator?: Orchestrator;

  private constructor(
    readonly dir: string,
    readonly config: ProjectConfig,
    readonly redactor: Redactor,
    private readonly env: Record<string, string | undefined>,
  ) {}

  static async open(globals: GlobalOptions, env: Record<string, string | undefined>): Promise<Project> {
    const dir = path.resolve(globals.dir);
    return new Project(dir, await loadConfig(dir), redactorFor(globals, env), env);
  }

  /** The context store in `<dir>/context`. */
  async store(): Promise<ContextStore> {
    this.#store ??= await openContextStore(path.join(this.dir, "context"));
    return this.#store;
  }

  /** The orchestrator in `<dir>`, with built-in agents and the plugins of `vltair.config.*`. */
  async orchestrator(options: { withAgents?: boolean; pluginDir?: string } = {}): Promise<Orchestrator> {
    if (this.#orchestrator) return this.#orchestrator;
    const orchestrator = new Orchestrator({
      dir: this.dir,
      seed: this.config.seed,
      durability: this.config.durability,
      concurrency: this.config.concurrency,
      redaction: this.redactor,
      contextStore: await this.store(),
    });
    if (options.withAgents !== false) {
      const model = modelFromEnv(this.env);
      for (const agent of builtinAgents({ model })) orchestrator.register(agent);
      const plugins = await loadPlugins({ cwd: options.pluginDir ?? process.cwd() });
      for (const agent of plugins.agents) orchestrator.register(agent);
    }
    this.#orchestrator = orchestrator;
    return orchestrator;
  }

  async close(): Promise<void> {
    try {
      await this.#orchestrator?.close();
    } finally {
      await this.#store?.close();
    }
  }
}
