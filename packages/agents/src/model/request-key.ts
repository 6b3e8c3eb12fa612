import { createHash } from "node:crypto";
import { canonicalJson, type ModelRequest } from "@vltair/orchestrator";

/**
 * A stable hash of what determines a model's answer: model, messages, temperature, seed and maxTokens
 * (key order and pricing do not matter).
 */
export function requestKey(request: ModelRequest): string {
  const { model, messages, temperature, seed, maxTokens } = request;
  const json = canonicalJson({ model, messages: messages.map((m) => ({ role: m.role, content: m.content })), temperature, seed, maxTokens });
  return createHash("sha256").update(json).digest("hex");
}
