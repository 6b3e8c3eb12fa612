import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentResult, RunEvent } from "@vltair/envelopes";
import { AgentFailure, type Agent, type AgentContext, type AgentOutput, type ModelRequest } from "./agent.js";
import { VirtualClock } from "./clock.js";
import { canonicalJson } from "./canonical-json.js";
import type { ContextStorePort } from "./context-view.js";
import type { FinishOptions, OrchestratorOptions, Run } from "./orchestrator-types.js";
import { replayHooks, type ReplayHooks, type ReplayHost, type ReplayReport, type ReplaySettings, type ReplayDivergence } from "./replay-types.js";
import { ReplaySource } from "./replay-source.js";
import type { RetryPolicy } from "./retry-policy.js";
import { buildRunState } from "./run-state.js";

/**
 * @internal Replays `events` of `runId` in a scratch orchestrator (made by `open`, which is
 * `Orchestrator.replay`'s constructor: this module never imports the class) and compares event by event.
 */
export async function replayRun(
  runId: string,
  events: readonly RunEvent[],
  settings: ReplaySettings,
  open: (options: OrchestratorOptions & { [replayHooks]: ReplayHooks }) => ReplayHost,
): Promise<ReplayReport> {
  const state = buildRunState(runId, events);
  const manifest = state.manifest ?? {};
  const sched = (manifest.scheduler ?? {}) as { concurrency?: number; perAgentConcurrency?: number; maxDepth?: number; retry?: RetryPolicy };
  const hooks: ReplayHooks = {
    source: new ReplaySource(events, (x) => settings.redactor.redact(JSON.parse(JSON.stringify(x ?? null)) as unknown)),
    seedIdempotency: [],
  };
  for (const t of state.tasks.values()) {
    const key = t.task.constraints?.idempotencyKey;
    if (t.reused && key !== undefined && t.result) hooks.seedIdempotency.push([key, t.result]);
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "vltair-replay-"));
  const produced: RunEvent[] = [];
  const orch = open({
    dir,
    concurrency: sched.concurrency ?? settings.concurrency,
    perAgentConcurrency: sched.perAgentConcurrency ?? settings.perAgentConcurrency,
    maxDepth: sched.maxDepth ?? settings.maxDepth,
    retry: sched.retry ?? settings.retry,
    seed: typeof manifest.seed === "number" ? manifest.seed : 0,
    clock: new VirtualClock(typeof manifest.clockStart === "number" ? manifest.clockStart : 0),
    durability: "none",
    redaction: settings.redactor,
    ...(manifest.contextStore === true ? { contextStore: journalOnlyStore } : {}),
    [replayHooks]: hooks,
  });
  try {
    orch.on((e) => produced.push(e));
    const agents = settings.agents ?? structuralAgents(manifest, events, hooks, state.finished !== undefined);
    for (const a of agents) orch.register(a);
    const startOpts: { runId: string; budget?: never; manifest?: Record<string, unknown> } = { runId };
    if (manifest.budget) (startOpts as { budget?: unknown }).budget = manifest.budget;
    if (manifest.extra) startOpts.manifest = manifest.extra as Record<string, unknown>;
    const run = await orch.startRun(startOpts);
    // A driver states the run's verdict again (as its original did through `finish({ status })`); a
    // structural replay has no caller logic to reproduce it, so it takes the recorded one.
    let verdict: FinishOptions | void = undefined;
    if (settings.drive) verdict = await settings.drive(run);
    else {
      await resubmitRoots(run, events, state.roots.map((t) => t.id));
      if (state.finished) verdict = { status: state.finished };
    }
    if (state.finished) await run.finish(verdict ?? {});
    else await run.settled();
  } finally {
    await orch.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return compare(runId, events, produced, state.finished !== undefined);
}

/**
 * The context store of a replay: every access of `ctx.context` is a journaled effect whose recorded
 * output replay returns, so the store itself is never reached — reaching it means the replay diverged.
 */
const journalOnlyStore: ContextStorePort = {
  put: () => Promise.reject(new Error("replay: context writes come from the journal; the store is not reachable")),
  get: () => Promise.reject(new Error("replay: context reads come from the journal; the store is not reachable")),
  search: () => Promise.reject(new Error("replay: context searches come from the journal; the store is not reachable")),
};

/** Re-submits the caller's root tasks in recorded order; a root waits for the roots that had finished before it was submitted. */
async function resubmitRoots(run: Run, events: readonly RunEvent[], roots: string[]): Promise<void> {
  const submittedAt = new Map<string, number>();
  const endedAt = new Map<string, number>();
  const rootSet = new Set(roots);
  for (const e of events) {
    if (e.type === "TaskSubmitted" && rootSet.has(e.taskId) && !submittedAt.has(e.taskId)) submittedAt.set(e.taskId, e.seq);
    if ((e.type === "TaskSucceeded" || e.type === "TaskFailed" || e.type === "TaskCancelled") && rootSet.has(e.taskId)) endedAt.set(e.taskId, e.seq);
  }
  const tasks = new Map<string, RunEvent & { type: "TaskSubmitted" }>();
  for (const e of events) if (e.type === "TaskSubmitted" && rootSet.has(e.taskId) && !tasks.has(e.taskId)) tasks.set(e.taskId, e);
  const pending: { id: string; done: Promise<unknown> }[] = [];
  for (const id of roots) {
    const at = submittedAt.get(id)!;
    const before = pending.filter((p) => (endedAt.get(p.id) ?? Infinity) < at);
    await Promise.all(before.map((p) => p.done));
    const done = run.submit(tasks.get(id)!.task);
    pending.push({ id, done });
    await Promise.resolve();
  }
  await Promise.all(pending.map((p) => p.done.catch(() => undefined)));
}

/** Agents that replay each recorded attempt: its tool/model calls through the context, then its outcome. */
function structuralAgents(manifest: Record<string, unknown>, events: readonly RunEvent[], hooks: ReplayHooks, complete: boolean): Agent[] {
  const listed = Array.isArray(manifest.agents) ? (manifest.agents as { name: string; version?: string; capabilities?: string[] }[]) : [];
  const names = new Map<string, { name: string; capabilities: string[]; version?: string }>();
  for (const a of listed) names.set(a.name, { name: a.name, capabilities: a.capabilities ?? [], ...(a.version ? { version: a.version } : {}) });
  for (const e of events) if (e.type === "TaskStarted" && !names.has(e.agent)) names.set(e.agent, { name: e.agent, capabilities: [] });
  const scripts = attemptScripts(events);
  return [...names.values()].map((desc) => ({
    ...desc,
    async run(task, ctx: AgentContext): Promise<AgentOutput> {
      const script = scripts.get(`${task.id}\u0000${ctx.attempt}`) ?? [];
      for (const e of script) {
        switch (e.type) {
          case "ToolCalled":
            await ctx.effect(e.tool, e.input, unreachable);
            break;
          case "ModelCalled":
            await ctx.callModel({ ...(e.params as Omit<ModelRequest, "model" | "messages">), model: e.model, messages: e.messages }, unreachable);
            break;
          case "BudgetExhausted":
            await hooks.journal!(ctx.runId, { type: "BudgetExhausted", taskId: e.taskId, budget: e.budget, limit: e.limit, used: e.used });
            break;
          case "ContextWritten": {
            const { type: _t, runId: _r, seq: _s, time: _time, ...rest } = e;
            await hooks.journal!(ctx.runId, { type: "ContextWritten", ...rest });
            break;
          }
          case "TaskSucceeded": {
            const r: AgentResult = e.result;
            return r.metrics === undefined ? { payload: r.payload } : { payload: r.payload, metrics: r.metrics };
          }
          case "TaskRetried":
          case "TaskFailed": {
            const err = e.type === "TaskFailed" ? e.error.error : e.error;
            const partial = e.type === "TaskFailed" ? e.error.partial : undefined;
            throw new AgentFailure(err.code, err.message, { retryable: err.retryable, ...(err.details ? { details: err.details } : {}), ...(partial ? { partial } : {}) });
          }
          default:
            break;
        }
      }
      if (complete) return new Promise<never>((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error)));
      throw new AgentFailure("Cancelled", `the recording of task ${task.id} ends during attempt ${ctx.attempt}`);
    },
  }));
}

function unreachable(): Promise<never> {
  return Promise.reject(new Error("replay never invokes a tool or a model"));
}

/** Per (task, attempt): the recorded events from its start to the end of that attempt. */
function attemptScripts(events: readonly RunEvent[]): Map<string, RunEvent[]> {
  const current = new Map<string, RunEvent[]>();
  const out = new Map<string, RunEvent[]>();
  for (const e of events) {
    if (e.taskId === undefined) continue;
    if (e.type === "TaskStarted") {
      const list: RunEvent[] = [];
      current.set(e.taskId, list);
      out.set(`${e.taskId}\u0000${e.attempt}`, list);
      continue;
    }
    const list = current.get(e.taskId);
    if (!list) continue;
    list.push(e);
    if (e.type === "TaskSucceeded" || e.type === "TaskFailed" || e.type === "TaskRetried" || e.type === "TaskCancelled") current.delete(e.taskId);
  }
  return out;
}

/** Compares per task (so interleaving of independent tasks does not matter); reports the earliest recorded divergence. */
function compare(runId: string, recorded: readonly RunEvent[], produced: readonly RunEvent[], complete: boolean): ReplayReport {
  const group = (list: readonly RunEvent[]): Map<string, RunEvent[]> => {
    const m = new Map<string, RunEvent[]>();
    for (const e of list) {
      const k = e.taskId ?? "";
      const l = m.get(k);
      if (l) l.push(e);
      else m.set(k, [e]);
    }
    return m;
  };
  const rec = group(recorded);
  const prod = group(produced);
  let best: ReplayDivergence | undefined;
  const consider = (d: ReplayDivergence): void => {
    if (!best || d.seq < best.seq) best = d;
  };
  for (const [k, exp] of rec) {
    const act = prod.get(k) ?? [];
    for (let i = 0; i < exp.length; i++) {
      const e = exp[i]!;
      const a = act[i];
      if (!a || canonical(e) !== canonical(a)) {
        consider({ seq: e.seq, taskId: e.taskId, kind: e.type, expected: strip(e), actual: a ? strip(a) : null });
        break;
      }
    }
    if (complete && act.length > exp.length) {
      const extra = act[exp.length]!;
      consider({ seq: extra.seq, taskId: extra.taskId, kind: extra.type, expected: null, actual: strip(extra) });
    }
  }
  if (complete) {
    for (const [k, act] of prod) if (!rec.has(k)) consider({ seq: act[0]!.seq, taskId: act[0]!.taskId, kind: act[0]!.type, expected: null, actual: strip(act[0]!) });
  }
  const report: ReplayReport = { runId, identical: best === undefined, steps: recorded.length };
  if (best) report.divergence = best;
  return report;
}

function strip(e: RunEvent): Record<string, unknown> {
  const { time: _time, seq: _seq, ...rest } = e as RunEvent & Record<string, unknown>;
  return rest;
}

function canonical(e: RunEvent): string {
  return canonicalJson(strip(e));
}
