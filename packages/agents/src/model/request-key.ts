import { createHash } from "node:crypto";
import type { ModelRequest } from "@vltair/orchestrator";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * A stable hash of what determines a model's answer: model, messages, temperature, seed and maxTokens
 * (key order and pricing do not matter).
 */
export function requestKey(request: ModelRequest): string {
  const { model, messages, temperature, seed, maxTokens } = request;
  const json = JSON.stringify(canonical({ model, messages: messages.map((m) => ({ role: m.role, content: m.content })), temperature, seed, maxTokens }));
  return createHash("sha256").update(json).digest("hex");
}
