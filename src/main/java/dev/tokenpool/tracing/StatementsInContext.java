package dev.tokenpool.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The configured sampler, but a CLIENT span (a JDBC statement) without a parent is dropped: the
 * statements of the background loops (the event relay's polls, pool refreshes, clock reads) would
 * otherwise each be a trace of one span, several a second, and bury the requests' and jobs' traces.
 * A statement under a request, a transaction or a job run is decided as its parent was.
 */
final class StatementsInContext implements Sampler {

  private final Sampler delegate;

  StatementsInContext(Sampler delegate) {
    this.delegate = delegate;
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    if (spanKind == SpanKind.CLIENT
        && !Span.fromContext(parentContext).getSpanContext().isValid()) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "StatementsInContext{" + delegate.getDescription() + "}";
  }
}
