package dev.tokenpool.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.config.InvalidConfigurationException;
import dev.tokenpool.testing.OtlpReceiver;
import dev.tokenpool.testing.OtlpReceiver.Received;
import dev.tokenpool.tokens.TokenSpans;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The node's tracing as the composition root starts it, exporting to a real OTLP receiver. */
class TracingTest {

  private static TracingSettings settings(Map<String, String> container) {
    return TracingSettings.read(name -> null, name -> null, container);
  }

  @Test
  void withoutSettingsNothingIsInstrumented() {
    JdbcDataSource dataSource = new JdbcDataSource();
    try (Tracing tracing = Tracing.start(settings(Map.of()), "node-1")) {
      assertThat(tracing.exporting()).isFalse();
      assertThat(tracing.connections(dataSource)).isSameAs(dataSource);
      assertThat(tracing.pool("default")).isSameAs(TokenSpans.NONE);
    }
  }

  @Test
  void closingTheNodesTracingExportsWhatIsLeftWithTheNodeAsInstance() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      Tracing tracing =
          Tracing.start(
              settings(
                  Map.of(
                      "OTEL_EXPORTER_OTLP_ENDPOINT",
                      receiver.endpoint(),
                      // Far longer than the test: only the close can export the span.
                      "OTEL_BSP_SCHEDULE_DELAY",
                      "600000")),
              "node-7");
      assertThat(tracing.exporting()).isTrue();
      tracing.pool("blue").activation(() -> null);
      assertThat(receiver.spans()).isEmpty();

      tracing.close();

      assertThat(receiver.spans()).extracting(Received::name).containsExactly("tokenpool.activate");
      assertThat(receiver.spans().get(0).service()).isEqualTo(TracingSettings.SERVICE_NAME);
      assertThat(receiver.spans().get(0).resource()).containsEntry("service.instance.id", "node-7");
    }
  }

  @Test
  void aSettingTheSdkRefusesFailsTheStartNamingIt() {
    assertThatThrownBy(
            () ->
                Tracing.start(settings(Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon")), "node-1"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("OTEL_")
        .hasMessageContaining("carrier-pigeon");
  }

  @Test
  void otlpOverGrpcIsNotBundledAndFailsTheStart() {
    assertThatThrownBy(
            () ->
                Tracing.start(
                    settings(
                        Map.of(
                            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
                            "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")),
                    "node-1"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("OTEL_");
  }
}
