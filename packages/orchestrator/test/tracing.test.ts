import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { Orchestrator } from "../src/index.js";
import { agent, task, tempDir } from "./helpers.js";

const parentOf = (s: ReadableSpan): string | undefined =>
  (s as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId ?? (s as unknown as { parentSpanId?: string }).parentSpanId;

describe("OpenTelemetry", () => {
  it("one span per attempt, children under their parent task's span, roots under the run span; ids reach agents", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", tracer: provider.getTracer("test") });
    const seen: Record<string, { traceId: string; spanId: string }> = {};
    orch.register(agent("p", async (t, ctx) => {
      seen[t.id] = ctx.trace;
      return { payload: t.id === "root" ? { newTasks: [{ type: "AgentTask", id: "kid", agent: "p", payload: {} }] } : {} };
    }));
    const run = await orch.startRun({ runId: "traced" });
    await run.submit(task("root", { agent: "p" }));
    await run.finish();
    const spans = exporter.getFinishedSpans();
    const runSpan = spans.find((s) => s.name === "vltair.run")!;
    const rootSpan = spans.find((s) => s.attributes["vltair.task_id"] === "root")!;
    const kidSpan = spans.find((s) => s.attributes["vltair.task_id"] === "kid")!;
    expect(spans).toHaveLength(3);
    expect(parentOf(rootSpan)).toBe(runSpan.spanContext().spanId);
    expect(parentOf(kidSpan)).toBe(rootSpan.spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(seen.kid).toEqual({ traceId: kidSpan.spanContext().traceId, spanId: kidSpan.spanContext().spanId });
    expect(rootSpan.attributes).toMatchObject({ "vltair.agent": "p", "vltair.attempt": 1, "vltair.run_id": "traced" });
    await orch.close();
  });
});
