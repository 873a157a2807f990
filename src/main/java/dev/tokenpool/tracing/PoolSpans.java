package dev.tokenpool.tracing;

import dev.tokenpool.tokens.TokenSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One pool's units of work as INTERNAL spans, children of what is current (the request's server
 * span, the job run's span), and parents of the statements they run: {@value #ACTIVATE} with the
 * pool's name, and {@value #EXPIRY_BATCH} (across every pool) with the count it ended.
 */
final class PoolSpans implements TokenSpans {

  static final String ACTIVATE = "tokenpool.activate";
  static final String EXPIRY_BATCH = "tokenpool.expiry.batch";

  private final Tracer tracer;
  private final String pool;

  PoolSpans(Tracer tracer, String pool) {
    this.tracer = tracer;
    this.pool = pool;
  }

  @Override
  public <T> T activation(Supplier<T> transaction) {
    return Spans.around(
        tracer
            .spanBuilder(ACTIVATE)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SpanAttributes.POOL, pool),
        transaction,
        (span, result) -> {});
  }

  @Override
  public <T> T expiryBatch(Supplier<T> transaction, ToIntFunction<? super T> ended) {
    return Spans.around(
        tracer.spanBuilder(EXPIRY_BATCH).setSpanKind(SpanKind.INTERNAL),
        transaction,
        (span, batch) -> span.setAttribute(SpanAttributes.EXPIRY_ENDED, ended.applyAsInt(batch)));
  }
}
