import { OpenAICompatibleProvider } from "./openai-compatible-provider.js";

/**
 * The model configured by `VLTAIR_MODEL_BASE_URL` and `VLTAIR_MODEL` (+ optional `VLTAIR_MODEL_API_KEY`),
 * or `undefined` when they are not both set — agents then run offline.
 */
export function modelFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): OpenAICompatibleProvider | undefined {
  const baseUrl = env.VLTAIR_MODEL_BASE_URL;
  const model = env.VLTAIR_MODEL;
  if (baseUrl === undefined || baseUrl === "" || model === undefined || model === "") return undefined;
  const apiKey = env.VLTAIR_MODEL_API_KEY;
  return new OpenAICompatibleProvider({ baseUrl, model, ...(apiKey === undefined || apiKey === "" ? {} : { apiKey }) });
}
