package dev.tokenpool.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The pools' and job runs' spans, the sampler and the MDC, on the real SDK. */
class WorkSpansTest {

  private final RecordedSpans recorded = new RecordedSpans();
  private final Tracer tracer = recorded.provider.get("test");

  @Test
  void anActivationIsAnInternalSpanOfItsPoolAroundItsStatements() {
    int value =
        new PoolSpans(tracer, "blue")
            .activation(
                () -> {
                  tracer
                      .spanBuilder("UPDATE tokens")
                      .setSpanKind(SpanKind.CLIENT)
                      .startSpan()
                      .end();
                  return 7;
                });

    assertThat(value).isEqualTo(7);
    SpanData activation = recorded.named(PoolSpans.ACTIVATE);
    assertThat(activation.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(activation.getAttributes().get(SpanAttributes.POOL)).isEqualTo("blue");
    assertThat(recorded.named("UPDATE tokens").getParentSpanId()).isEqualTo(activation.getSpanId());
  }

  @Test
  void aFailedActivationIsAFailedSpanAndTheFailureGoesOn() {
    PoolSpans spans = new PoolSpans(tracer, "blue");

    assertThatThrownBy(
            () ->
                spans.activation(
                    () -> {
                      throw new IllegalStateException("pool full");
                    }))
        .hasMessage("pool full");
    SpanData activation = recorded.named(PoolSpans.ACTIVATE);
    assertThat(activation.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(activation.getAttributes().get(SpanAttributes.ERROR_TYPE))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(activation.getEvents()).extracting("name").containsExactly("exception");
  }

  @Test
  void anExpiryBatchCountsWhatItEnded() {
    new PoolSpans(tracer, "default").expiryBatch(() -> "batch", batch -> 12);

    SpanData batch = recorded.named(PoolSpans.EXPIRY_BATCH);
    assertThat(batch.getAttributes().get(SpanAttributes.EXPIRY_ENDED)).isEqualTo(12L);
    assertThat(batch.getAttributes().get(SpanAttributes.POOL)).isNull();
  }

  @Test
  void aJobRunIsARootSpanWhoseIdsAreInTheMdcWhileItRuns() {
    AtomicReference<String> traceIdInRun = new AtomicReference<>();
    AtomicReference<String> spanIdInRun = new AtomicReference<>();
    AtomicReference<String> currentInRun = new AtomicReference<>();

    int count =
        new JobRunSpans(tracer)
            .run(
                "expire-tokens",
                "run-1",
                () -> {
                  traceIdInRun.set(MDC.get(TraceMdc.TRACE_ID));
                  spanIdInRun.set(MDC.get(TraceMdc.SPAN_ID));
                  currentInRun.set(Span.current().getSpanContext().getSpanId());
                  return 3;
                });

    assertThat(count).isEqualTo(3);
    SpanData run = recorded.named("tokenpool.job expire-tokens");
    assertThat(run.getParentSpanContext().isValid()).isFalse();
    assertThat(run.getAttributes().get(SpanAttributes.JOB_NAME)).isEqualTo("expire-tokens");
    assertThat(run.getAttributes().get(SpanAttributes.JOB_RUN_ID)).isEqualTo("run-1");
    assertThat(run.getAttributes().get(SpanAttributes.JOB_COUNT)).isEqualTo(3L);
    assertThat(traceIdInRun).hasValue(run.getTraceId());
    assertThat(spanIdInRun).hasValue(run.getSpanId());
    assertThat(currentInRun).hasValue(run.getSpanId());
    assertThat(MDC.get(TraceMdc.TRACE_ID)).isNull();
    assertThat(MDC.get(TraceMdc.SPAN_ID)).isNull();
  }

  @Test
  @SuppressWarnings("try") // the scope and the MDC are what the try is for
  void aJobRunInsideARequestLeavesTheRequestsIdsInTheMdc() {
    Span request = tracer.spanBuilder("GET").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope scope = request.makeCurrent();
        TraceMdc mdc = TraceMdc.put(request.getSpanContext())) {
      new JobRunSpans(tracer).run("expire-tokens", "direct-1", () -> 0);

      assertThat(MDC.get(TraceMdc.SPAN_ID)).isEqualTo(request.getSpanContext().getSpanId());
    } finally {
      request.end();
    }
    assertThat(recorded.named("tokenpool.job expire-tokens").getParentSpanId())
        .isEqualTo(request.getSpanContext().getSpanId());
    assertThat(MDC.get(TraceMdc.SPAN_ID)).isNull();
  }

  @Test
  void aFailedJobRunIsAFailedSpanAndTheFailureGoesOn() {
    JobRunSpans runs = new JobRunSpans(tracer);

    assertThatThrownBy(
            () ->
                runs.run(
                    "expire-tokens",
                    "run-2",
                    () -> {
                      throw new IllegalStateException("database down");
                    }))
        .hasMessage("database down");
    assertThat(recorded.named("tokenpool.job expire-tokens").getStatus().getStatusCode())
        .isEqualTo(StatusCode.ERROR);
    assertThat(MDC.get(TraceMdc.TRACE_ID)).isNull();
  }

  @Test
  void aStatementWithoutAParentIsNotRecordedButOneInsideAUnitOfWorkIs() {
    tracer.spanBuilder("SELECT waiters").setSpanKind(SpanKind.CLIENT).startSpan().end();
    tracer.spanBuilder("a root of our own").setSpanKind(SpanKind.INTERNAL).startSpan().end();
    new PoolSpans(tracer, "blue")
        .activation(
            () -> {
              tracer.spanBuilder("UPDATE tokens").setSpanKind(SpanKind.CLIENT).startSpan().end();
              return null;
            });

    assertThat(recorded.spans())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("a root of our own", "UPDATE tokens", PoolSpans.ACTIVATE);
  }

  @Test
  @SuppressWarnings("try") // the MDC is what the try is for
  void noSpanContextMeansNoMdcKeys() {
    try (TraceMdc mdc = TraceMdc.put(Span.getInvalid().getSpanContext())) {
      assertThat(MDC.get(TraceMdc.TRACE_ID)).isNull();
    }
    assertThat(MDC.get(TraceMdc.SPAN_ID)).isNull();
  }
}
