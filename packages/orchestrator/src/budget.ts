import type { Budget } from "@vltair/envelopes";
import type { BudgetRemaining } from "./agent.js";
import type { Clock } from "./clock.js";

/** Which budget ran out. */
export type BudgetKind = "tokens" | "costUsd" | "wallMs";

/** A refused reservation: the node whose budget does not fit, with its limit and what it had used. */
export interface BudgetBreach {
  nodeId: string;
  budget: BudgetKind;
  limit: number;
  used: number;
}

/** Amounts held for a call in flight. */
export interface Reservation {
  readonly nodeId: string;
  readonly tokens: number;
  readonly costUsd: number;
}

/** The limit of a node without a budget of its own: shared, since most tasks have none. */
const UNLIMITED: Budget = Object.freeze({});

interface BudgetNode {
  id: string;
  parent: BudgetNode | undefined;
  limit: Budget;
  startedAt: number;
  usedTokens: number;
  usedCost: number;
  reservedTokens: number;
  reservedCost: number;
}

/**
 * A ledger of token / cost / wall budgets over the tree run → task → subtask. A charge lands on the node
 * and every ancestor; a reservation must fit in the remaining budget of all of them. Wall time is read
 * from the injected clock since each node's start.
 */
export class BudgetLedger {
  readonly #clock: Clock;
  readonly #nodes = new Map<string, BudgetNode>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Adds a node (a run or a task) under `parentId`; its own limit is `budget` (absent = unlimited). */
  add(id: string, parentId: string | undefined, budget: Budget | undefined): void {
    if (this.#nodes.has(id)) return;
    const parent = parentId === undefined ? undefined : this.#nodes.get(parentId);
    this.#nodes.set(id, {
      id,
      parent,
      limit: budget ?? UNLIMITED,
      startedAt: this.#clock.now(),
      usedTokens: 0,
      usedCost: 0,
      reservedTokens: 0,
      reservedCost: 0,
    });
  }

  /** Forgets a node (its charges stay on the ancestors). */
  remove(id: string): void {
    this.#nodes.delete(id);
  }

  /** The tightest remaining budget over `id` and its ancestors. */
  remaining(id: string): BudgetRemaining {
    const out: BudgetRemaining = {};
    const now = this.#clock.now();
    for (let n = this.#nodes.get(id); n; n = n.parent) {
      const { tokens, costUsd, wallMs } = n.limit;
      if (tokens !== undefined) out.tokens = Math.min(out.tokens ?? Infinity, tokens - n.usedTokens - n.reservedTokens);
      if (costUsd !== undefined) out.costUsd = Math.min(out.costUsd ?? Infinity, costUsd - n.usedCost - n.reservedCost);
      if (wallMs !== undefined) out.wallMs = Math.min(out.wallMs ?? Infinity, wallMs - (now - n.startedAt));
    }
    return out;
  }

  /** The first node (nearest first) whose wall budget has run out, if any. */
  wallBreach(id: string): BudgetBreach | undefined {
    const now = this.#clock.now();
    for (let n = this.#nodes.get(id); n; n = n.parent) {
      const wall = n.limit.wallMs;
      if (wall !== undefined && now - n.startedAt >= wall) return { nodeId: n.id, budget: "wallMs", limit: wall, used: now - n.startedAt };
    }
    return undefined;
  }

  /** Holds `tokens`/`costUsd` on the chain, or reports the first node it does not fit. */
  reserve(id: string, tokens: number, costUsd: number): Reservation | BudgetBreach {
    const wall = this.wallBreach(id);
    if (wall) return wall;
    for (let n = this.#nodes.get(id); n; n = n.parent) {
      const { tokens: lt, costUsd: lc } = n.limit;
      if (lt !== undefined && n.usedTokens + n.reservedTokens + tokens > lt) {
        return { nodeId: n.id, budget: "tokens", limit: lt, used: n.usedTokens };
      }
      if (lc !== undefined && n.usedCost + n.reservedCost + costUsd > lc) {
        return { nodeId: n.id, budget: "costUsd", limit: lc, used: n.usedCost };
      }
    }
    for (let n = this.#nodes.get(id); n; n = n.parent) {
      n.reservedTokens += tokens;
      n.reservedCost += costUsd;
    }
    return { nodeId: id, tokens, costUsd };
  }

  /** Releases a reservation and charges the actual usage to the chain. */
  settle(r: Reservation, actualTokens: number, actualCost: number): void {
    for (let n = this.#nodes.get(r.nodeId); n; n = n.parent) {
      n.reservedTokens -= r.tokens;
      n.reservedCost -= r.costUsd;
      n.usedTokens += actualTokens;
      n.usedCost += actualCost;
    }
  }

  /** Tokens and cost charged to `id` (itself and its subtree). */
  used(id: string): { tokens: number; costUsd: number } {
    const n = this.#nodes.get(id);
    return { tokens: n?.usedTokens ?? 0, costUsd: n?.usedCost ?? 0 };
  }
}

/** True when `x` is a refusal rather than a reservation. */
export function isBreach(x: Reservation | BudgetBreach): x is BudgetBreach {
  return "budget" in x;
}
