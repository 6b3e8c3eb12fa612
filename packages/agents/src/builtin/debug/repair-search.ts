import { applyMutation, mutationsOnLine, type Mutation } from "./mutation-operators.js";
import type { SuspiciousLine } from "../../testing/coverage/ochiai.js";
import type { Verdict } from "./repair-verify.js";

/** Inputs of {@link searchRepair}. */
export interface RepairSearchOptions {
  /** Suspicious lines, most suspicious first (see `rankByOchiai`). */
  ranked: readonly SuspiciousLine[];
  readSource: (path: string) => Promise<string>;
  /** Runs the tests with the overlay; see `createRepairVerifier`. */
  verify: (overlay: Record<string, string>) => Promise<Verdict>;
  /** Most candidates verified (default 200). */
  maxCandidates?: number;
  signal?: AbortSignal;
}

/** A candidate that made every test pass. */
export interface FoundRepair {
  mutation: Mutation;
  /** The repaired file's whole content. */
  content: string;
  /** 1-based position of the candidate in the search order. */
  candidateNumber: number;
}

/** What the search did. */
export interface RepairSearchOutcome {
  /** Candidates verified. */
  tried: number;
  /** Suspicious lines whose mutations were (at least partly) tried. */
  linesSearched: number;
  /** How many candidates failed at each stage. */
  rejected: { failingTests: number; fullSuite: number };
  repair?: FoundRepair;
  /** Set when the signal stopped the search early. */
  aborted?: boolean;
}

/**
 * Deterministic generate-and-validate repair: walks the suspicious lines in rank order, generates the
 * line's mutations (`mutationsOnLine`, fixed order, duplicates across lines removed), and verifies each
 * until one makes all tests pass or `maxCandidates` are spent. Never told where the bug is: the
 * ranking comes from the spectrum alone.
 */
export async function searchRepair(options: RepairSearchOptions): Promise<RepairSearchOutcome> {
  const maxCandidates = options.maxCandidates ?? 200;
  const outcome: RepairSearchOutcome = { tried: 0, linesSearched: 0, rejected: { failingTests: 0, fullSuite: 0 } };
  const sources = new Map<string, string>();
  const tried = new Set<string>();

  for (const suspicious of options.ranked) {
    if (outcome.tried >= maxCandidates) break;
    let source = sources.get(suspicious.file);
    if (source === undefined) {
      source = await options.readSource(suspicious.file);
      sources.set(suspicious.file, source);
    }
    const mutations = mutationsOnLine(suspicious.file, source, suspicious.line);
    if (mutations.length === 0) continue;
    outcome.linesSearched++;
    for (const mutation of mutations) {
      if (outcome.tried >= maxCandidates) break;
      if (options.signal?.aborted === true) {
        outcome.aborted = true;
        return outcome;
      }
      const content = applyMutation(source, mutation);
      const key = `${mutation.file}\u0000${content}`;
      if (tried.has(key)) continue;
      tried.add(key);
      outcome.tried++;
      const verdict = await options.verify({ [mutation.file]: content });
      if (verdict.passed) {
        outcome.repair = { mutation, content, candidateNumber: outcome.tried };
        return outcome;
      }
      if (verdict.stage === "failing-tests") outcome.rejected.failingTests++;
      else outcome.rejected.fullSuite++;
    }
  }
  return outcome;
}
