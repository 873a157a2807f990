package dev.tokenpool.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The SDK with tokenpool's sampler, exporting each span as it ends into a list. */
final class RecordedSpans implements SpanExporter {

  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .setSampler(new StatementsInContext(Sampler.parentBased(Sampler.alwaysOn())))
          .addSpanProcessor(SimpleSpanProcessor.create(this))
          .build();

  List<SpanData> spans() {
    return List.copyOf(spans);
  }

  SpanData named(String name) {
    return spans.stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  List<SpanData> ofKind(SpanKind kind) {
    return spans.stream().filter(span -> span.getKind() == kind).toList();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> ended) {
    spans.addAll(ended);
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
