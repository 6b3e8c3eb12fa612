import { randomUUID } from "node:crypto";
import type { AgentTask } from "./generated/types.js";
import { validateTask } from "./validators.js";

/** Produces a fresh identifier on every call; inject one for deterministic ids. */
export type IdSource = () => string;

/** What `createTask` needs: everything of an `AgentTask` but `type`, with `id` optional. */
export type TaskInit = Omit<AgentTask, "type" | "id"> & { id?: string };

/** Options of `createTask`. */
export interface CreateTaskOptions {
  /** Source of the task id when `init.id` is absent; default `crypto.randomUUID`. */
  idSource?: IdSource;
}

/**
 * Builds a validated `AgentTask`: sets `type`, takes the id from `init.id` or `idSource`, and throws
 * `EnvelopeValidationError` when the result is not a valid task. `init` is copied, not mutated.
 */
export function createTask(init: TaskInit, options: CreateTaskOptions = {}): AgentTask {
  const { id, ...rest } = init;
  const idSource = options.idSource ?? randomUUID;
  return validateTask({ type: "AgentTask", id: id ?? idSource(), ...rest });
}
