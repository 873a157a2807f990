package dev.tokenpool.tracing;

import dev.tokenpool.jobs.RunSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.function.IntSupplier;

/**
 * Each job run as a span {@code tokenpool.job <job>} (a root for a scheduled run; under the request
 * for an operator's direct run), with its run id and the count it reported; its ids are in the
 * log's MDC while it runs.
 */
final class JobRunSpans implements RunSpans {

  static final String PREFIX = "tokenpool.job ";

  private final Tracer tracer;

  JobRunSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  @SuppressWarnings("try") // the scope and the MDC are what the try is for
  public int run(String job, String runId, IntSupplier run) {
    Span span =
        tracer
            .spanBuilder(PREFIX + job)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SpanAttributes.JOB_NAME, job)
            .setAttribute(SpanAttributes.JOB_RUN_ID, runId)
            .startSpan();
    try (Scope scope = span.makeCurrent();
        TraceMdc mdc = TraceMdc.put(span.getSpanContext())) {
      int count = run.getAsInt();
      span.setAttribute(SpanAttributes.JOB_COUNT, count);
      span.setStatus(StatusCode.OK);
      return count;
    } catch (RuntimeException | Error e) {
      Spans.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }
}
