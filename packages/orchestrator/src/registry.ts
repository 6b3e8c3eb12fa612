import { promises as fs } from "node:fs";
import path from "node:path";
import type { Agent } from "./agent.js";
import { writeFileAtomic } from "@vltair/context-store/files";
import { OrchestratorError } from "./orchestrator-error.js";

/** An agent's self-reported health. `draining` finishes running work but takes no new tasks. */
export type AgentHealth = "healthy" | "unhealthy" | "draining";

const HEALTH: readonly AgentHealth[] = ["healthy", "unhealthy", "draining"];

/** A registered agent as `status()` and the CLI see it. */
export interface AgentDescriptor {
  name: string;
  version?: string;
  capabilities: string[];
  status: AgentHealth;
  /** Reported load in [0, 1] (remote agents) or running ÷ per-agent concurrency (local ones). */
  load: number;
  /** Tasks running on it in this process. */
  running: number;
  /** `local`: has a handler in this process; `remote`: a persisted descriptor only. */
  kind: "local" | "remote";
}

interface PersistedAgent {
  name: string;
  version?: string;
  capabilities: string[];
  status: AgentHealth;
  load: number;
}

interface LocalEntry {
  agent: Agent;
  status: AgentHealth;
  running: number;
}

/**
 * Agents known to the orchestrator: local ones (with handlers) and remote descriptors registered via the
 * CLI, which persist in `<dir>/registry.json` (written atomically: temp file, fsync, rename).
 */
export class Registry {
  readonly #file: string;
  readonly #local = new Map<string, LocalEntry>();
  #remote = new Map<string, PersistedAgent>();
  #writes: Promise<void> = Promise.resolve();

  /** A registry persisting remote descriptors under `dir`; call {@link Registry.load} before using them. */
  constructor(dir: string) {
    this.#file = path.join(dir, "registry.json");
  }

  /** Loads the persisted descriptors (none when the file does not exist yet). */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.#file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    this.#remote = parseRegistry(text, this.#file);
  }

  /** Registers a local agent with a handler (healthy until it reports otherwise). */
  registerLocal(agent: Agent): void {
    if (typeof agent?.name !== "string" || agent.name === "" || typeof agent.run !== "function") {
      throw new OrchestratorError("InvalidAgent", "register(agent): an agent needs a non-empty string `name` and a `run(task, ctx)` function");
    }
    if (!Array.isArray(agent.capabilities) || agent.capabilities.some((c) => typeof c !== "string")) {
      throw new OrchestratorError("InvalidAgent", `register(${agent.name}): \`capabilities\` must be an array of strings`);
    }
    if (this.#local.has(agent.name)) throw new OrchestratorError("InvalidAgent", `an agent named "${agent.name}" is already registered`);
    this.#local.set(agent.name, { agent, status: "healthy", running: 0 });
  }

  /** Persists a remote agent's descriptor (replacing an earlier one of that name). */
  async registerRemote(desc: { name: string; capabilities: readonly string[]; version?: string }): Promise<void> {
    if (!desc.name) throw new OrchestratorError("InvalidAgent", "registerRemote: an agent needs a non-empty name");
    const entry: PersistedAgent = { name: desc.name, capabilities: [...desc.capabilities].sort(), status: "healthy", load: 0 };
    if (desc.version !== undefined) entry.version = desc.version;
    this.#remote.set(desc.name, entry);
    await this.#persist();
  }

  /** Records an agent's reported health and/or load; persisted for remote agents. */
  async update(name: string, report: { status?: AgentHealth; load?: number }): Promise<void> {
    if (report.status !== undefined && !HEALTH.includes(report.status)) {
      throw new OrchestratorError("InvalidAgent", `update(${name}): status must be one of ${HEALTH.join(", ")}, got ${JSON.stringify(report.status)}`);
    }
    if (report.load !== undefined && !(report.load >= 0 && report.load <= 1)) {
      throw new OrchestratorError("InvalidAgent", `update(${name}): load must be a number in [0, 1], got ${report.load}`);
    }
    const local = this.#local.get(name);
    const remote = this.#remote.get(name);
    if (!local && !remote) throw new OrchestratorError("InvalidAgent", `update: no agent named "${name}" is registered`);
    if (local && report.status) local.status = report.status;
    if (remote) {
      if (report.status) remote.status = report.status;
      if (report.load !== undefined) remote.load = report.load;
      await this.#persist();
    }
  }

  /** The local entry of `name`, if it has a handler here. */
  local(name: string): LocalEntry | undefined {
    return this.#local.get(name);
  }

  /** Local entries in name order (the router's tie-break). */
  localEntries(): LocalEntry[] {
    return [...this.#local.values()].sort((a, b) => (a.agent.name < b.agent.name ? -1 : a.agent.name > b.agent.name ? 1 : 0));
  }

  isRemote(name: string): boolean {
    return this.#remote.has(name);
  }

  /** Local and persisted agents, by name. */
  list(perAgentConcurrency: number): AgentDescriptor[] {
    const out = new Map<string, AgentDescriptor>();
    for (const r of this.#remote.values()) out.set(r.name, { ...r, capabilities: [...r.capabilities], running: 0, kind: "remote" });
    for (const e of this.#local.values()) {
      const d: AgentDescriptor = {
        name: e.agent.name,
        capabilities: [...e.agent.capabilities],
        status: e.status,
        load: e.running / perAgentConcurrency,
        running: e.running,
        kind: "local",
      };
      if (e.agent.version !== undefined) d.version = e.agent.version;
      out.set(d.name, d);
    }
    return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  #persist(): Promise<void> {
    const body = JSON.stringify({ version: 1, agents: [...this.#remote.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) }, null, 2);
    // Serialise writers so the last update always wins on disk.
    this.#writes = this.#writes.then(() => writeFileAtomic(this.#file, body));
    return this.#writes;
  }
}


function parseRegistry(text: string, file: string): Map<string, PersistedAgent> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new OrchestratorError("InvalidRegistry", `${file}: not valid JSON (${(e as Error).message})`);
  }
  const agents = (doc as { agents?: unknown })?.agents;
  if (!Array.isArray(agents)) throw new OrchestratorError("InvalidRegistry", `${file}: expected { "agents": [...] }`);
  const out = new Map<string, PersistedAgent>();
  agents.forEach((a: unknown, i) => {
    const r = a as Partial<PersistedAgent>;
    const where = `${file}: agents[${i}]`;
    if (typeof r?.name !== "string" || r.name === "") throw new OrchestratorError("InvalidRegistry", `${where}.name must be a non-empty string`);
    if (!Array.isArray(r.capabilities) || r.capabilities.some((c) => typeof c !== "string")) {
      throw new OrchestratorError("InvalidRegistry", `${where}.capabilities must be an array of strings`);
    }
    if (!HEALTH.includes(r.status as AgentHealth)) throw new OrchestratorError("InvalidRegistry", `${where}.status must be one of ${HEALTH.join(", ")}`);
    if (typeof r.load !== "number" || !(r.load >= 0 && r.load <= 1)) throw new OrchestratorError("InvalidRegistry", `${where}.load must be in [0, 1]`);
    const entry: PersistedAgent = { name: r.name, capabilities: r.capabilities, status: r.status as AgentHealth, load: r.load };
    if (typeof r.version === "string") entry.version = r.version;
    out.set(r.name, entry);
  });
  return out;
}
