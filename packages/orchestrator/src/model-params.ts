import type { ModelRequest } from "./agent.js";

/** The parameters of a model call as journaled in `ModelCalled.params` (and compared in replay). */
export function modelParams(req: ModelRequest): Record<string, unknown> {
  const params: Record<string, unknown> = { temperature: req.temperature };
  if (req.seed !== undefined) params.seed = req.seed;
  if (req.maxTokens !== undefined) params.maxTokens = req.maxTokens;
  if (req.pricing !== undefined) params.pricing = req.pricing;
  return params;
}
