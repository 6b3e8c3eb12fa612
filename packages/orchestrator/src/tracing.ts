import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";

/** The tracer used when none is injected: the global provider's (a no-op unless an SDK is installed). */
export function defaultTracer(): Tracer {
  return trace.getTracer("@vltair/orchestrator");
}

/** The root span of a run. */
export function startRunSpan(tracer: Tracer, runId: string): Span {
  return tracer.startSpan("vltair.run", { attributes: { "vltair.run_id": runId } }, ROOT_CONTEXT);
}

/** One span per task attempt, child of `parent` (the parent task's span, or the run span). */
export function startAttemptSpan(tracer: Tracer, parent: Span, attrs: { runId: string; taskId: string; agent: string; attempt: number }): Span {
  return tracer.startSpan(
    `vltair.task ${attrs.agent}`,
    {
      attributes: {
        "vltair.run_id": attrs.runId,
        "vltair.task_id": attrs.taskId,
        "vltair.agent": attrs.agent,
        "vltair.attempt": attrs.attempt,
      },
    },
    trace.setSpan(context.active(), parent),
  );
}

/** Ends a span with an OK or ERROR status. */
export function endSpan(span: Span, error?: { code: string; message: string }): void {
  if (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.code}: ${error.message}` });
    span.setAttribute("vltair.error_code", error.code);
  } else {
    span.setStatus({ code: SpanStatusCode.OK });
  }
  span.end();
}
