package dev.tokenpool.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {

  private static final Function<String, String> NONE = name -> null;

  private static TracingSettings read(
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Map<String, String> container) {
    return TracingSettings.read(systemProperties::get, environment::get, container);
  }

  @Test
  void aNodeWithoutAnyOpenTelemetrySettingExportsNothing() {
    assertThat(TracingSettings.read(NONE, NONE, Map.of()).exporting()).isFalse();
    assertThat(read(Map.of(), Map.of(), Map.of("OTEL_SERVICE_NAME", "a-node")).exporting())
        .isFalse();
  }

  @Test
  void anOtlpEndpointInAnyLayerTurnsTheExportOn() {
    assertThat(
            read(Map.of(), Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .exporting())
        .isTrue();
    assertThat(
            read(Map.of(), Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318"), Map.of())
                .exporting())
        .isTrue();
    assertThat(read(Map.of("otel.traces.exporter", "otlp"), Map.of(), Map.of()).exporting())
        .isTrue();
  }

  @Test
  void anExporterNamedNoneExportsNothingThoughAnEndpointIsSet() {
    assertThat(
            read(
                    Map.of(),
                    Map.of("OTEL_TRACES_EXPORTER", "none"),
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .exporting())
        .isFalse();
  }

  @Test
  void aDisabledSdkExportsNothingWhateverElseIsSet() {
    assertThat(
            read(
                    Map.of(),
                    Map.of("OTEL_SDK_DISABLED", "TRUE", "OTEL_TRACES_EXPORTER", "otlp"),
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .exporting())
        .isFalse();
    assertThat(
            read(
                    Map.of(),
                    Map.of(),
                    Map.of(
                        "OTEL_SDK_DISABLED", "false",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .exporting())
        .isTrue();
  }

  @Test
  void aSystemPropertyWinsOverTheEnvironmentWhichWinsOverTheContainer() {
    Map<String, String> container = Map.of("OTEL_TRACES_EXPORTER", "otlp");
    assertThat(read(Map.of(), Map.of(), container).exporting()).isTrue();
    assertThat(read(Map.of(), Map.of("OTEL_TRACES_EXPORTER", "none"), container).exporting())
        .isFalse();
    assertThat(
            read(
                    Map.of("otel.traces.exporter", "otlp"),
                    Map.of("OTEL_TRACES_EXPORTER", "none"),
                    container)
                .exporting())
        .isTrue();
  }

  @Test
  void blankValuesCountAsUnset() {
    assertThat(read(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "), Map.of()).exporting())
        .isFalse();
    assertThat(
            read(
                    Map.of(),
                    Map.of("OTEL_TRACES_EXPORTER", ""),
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .exporting())
        .isTrue();
  }

  @Test
  void theContainersSettingsReachTheSdkInItsPropertyFormOverTokenpoolsDefaults() {
    TracingSettings settings =
        read(
            Map.of(),
            Map.of(),
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", " http://c:4318 ",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "TOKENPOOL_POOL_SIZE", "5"));
    assertThat(settings.containerProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "otel.exporter.otlp.endpoint", "http://c:4318",
                "otel.bsp.schedule.delay", "100",
                "otel.service.name", "tokenpool",
                "otel.exporter.otlp.protocol", "http/protobuf"));
    assertThat(
            read(Map.of(), Map.of(), Map.of("OTEL_SERVICE_NAME", "edge"))
                .containerProperties()
                .get("otel.service.name"))
        .isEqualTo("edge");
  }
}
