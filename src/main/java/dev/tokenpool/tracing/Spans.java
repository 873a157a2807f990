package dev.tokenpool.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Runs work inside a span that is current meanwhile and ends with it, failed if it threw. */
final class Spans {

  private Spans() {}

  @SuppressWarnings("try") // the scope is what the try is for
  static <T> T around(SpanBuilder builder, Supplier<T> work, BiConsumer<Span, T> result) {
    Span span = builder.startSpan();
    try (Scope scope = span.makeCurrent()) {
      T value = work.get();
      result.accept(span, value);
      return value;
    } catch (RuntimeException | Error e) {
      failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** Marks the span failed by this throwable (its type as {@code error.type}). */
  static void failed(Span span, Throwable failure) {
    span.recordException(failure);
    span.setAttribute(SpanAttributes.ERROR_TYPE, failure.getClass().getName());
    span.setStatus(StatusCode.ERROR);
  }
}
