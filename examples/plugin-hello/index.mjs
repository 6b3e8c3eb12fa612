// An example VLTAIR plugin: a package (or file) whose exports are agents made with defineAgent.
// List it in vltair.config.json as "vltair-plugin-hello" (installed) or "./path/to/index.mjs".
import { defineAgent } from "@vltair/agents";

/** Greets `payload.name`; with a model configured, lets the model write the greeting. */
export const helloAgent = defineAgent({
  name: "hello",
  version: "0.1.0",
  capabilities: ["greet"],
  payloadSchema: {
    type: "object",
    properties: { name: { type: "string", minLength: 1 } },
    required: ["name"],
    additionalProperties: false,
  },
  async run(_task, ctx) {
    const { name } = ctx.payload;
    const content = ctx.model === undefined ? `Hello, ${name}!` : (await ctx.model.chat(`Write a one-line greeting for ${name}.`)).content;
    return { payload: { artifacts: [{ kind: "text", title: "greeting", content }] } };
  },
});

export default helloAgent;
