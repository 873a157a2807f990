package dev.tokenpool.tracing;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * The trace and span id of the work at hand in the log's MDC ({@value #TRACE_ID}, {@value
 * #SPAN_ID}), from {@link #put} until {@link #close}, which puts back what was there before (a job
 * run inside a request leaves the request's ids as it found them).
 */
final class TraceMdc implements AutoCloseable {

  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private final String traceIdBefore;
  private final String spanIdBefore;
  private final boolean put;

  private TraceMdc(String traceIdBefore, String spanIdBefore, boolean put) {
    this.traceIdBefore = traceIdBefore;
    this.spanIdBefore = spanIdBefore;
    this.put = put;
  }

  /**
   * Puts the context's ids; an invalid context (no trace: tracing off, no traceparent) puts none.
   */
  static TraceMdc put(SpanContext context) {
    if (!context.isValid()) {
      return new TraceMdc(null, null, false);
    }
    TraceMdc scope = new TraceMdc(MDC.get(TRACE_ID), MDC.get(SPAN_ID), true);
    MDC.put(TRACE_ID, context.getTraceId());
    MDC.put(SPAN_ID, context.getSpanId());
    return scope;
  }

  @Override
  public void close() {
    if (!put) {
      return;
    }
    restore(TRACE_ID, traceIdBefore);
    restore(SPAN_ID, spanIdBefore);
  }

  private static void restore(String key, String before) {
    if (before == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, before);
    }
  }
}
