package dev.tokenpool.tracing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standard OpenTelemetry settings as this node finds them: a system property ({@code
 * otel.exporter.otlp.endpoint}) wins over the environment ({@code OTEL_EXPORTER_OTLP_ENDPOINT}),
 * which wins over the container's ({@code OTEL_*} servlet context parameters, such as a {@code
 * <Parameter>} in Tomcat's context.xml), as the SDK's own autoconfiguration layers the first two.
 * Traces are exported only when an exporter or an OTLP endpoint is named and the SDK is not
 * disabled: a node without any of these settings runs the no-op tracer and sends nothing.
 *
 * @param exporting whether the settings ask for an export of traces
 * @param containerProperties the container's settings and tokenpool's defaults, in the SDK's
 *     property form ({@code otel.service.name}); system properties and the environment override
 *     them in the SDK
 */
public record TracingSettings(boolean exporting, Map<String, String> containerProperties) {

  /** The service name when {@code OTEL_SERVICE_NAME} sets none. */
  public static final String SERVICE_NAME = "tokenpool";

  static final String SDK_DISABLED = "OTEL_SDK_DISABLED";
  static final String TRACES_EXPORTER = "OTEL_TRACES_EXPORTER";
  static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

  /**
   * tokenpool's defaults, below every layer: its service name, and OTLP over HTTP (the exporter's
   * JDK sender speaks no gRPC).
   */
  private static final Map<String, String> DEFAULTS =
      Map.of("otel.service.name", SERVICE_NAME, "otel.exporter.otlp.protocol", "http/protobuf");

  public TracingSettings {
    containerProperties = Map.copyOf(containerProperties);
  }

  /** The settings of this process, with the container's {@code OTEL_*} parameters below them. */
  public static TracingSettings read(Map<String, String> container) {
    return read(System::getProperty, System::getenv, container);
  }

  static TracingSettings read(
      Function<String, String> systemProperties,
      Function<String, String> environment,
      Map<String, String> container) {
    Map<String, String> properties = new LinkedHashMap<>(DEFAULTS);
    container.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_") && value != null && !value.isBlank()) {
            properties.put(propertyName(name), value.trim());
          }
        });
    Function<String, Optional<String>> find =
        name ->
            first(
                systemProperties.apply(propertyName(name)),
                environment.apply(name),
                properties.get(propertyName(name)));
    boolean disabled = find.apply(SDK_DISABLED).map(v -> v.equalsIgnoreCase("true")).orElse(false);
    Optional<String> exporter = find.apply(TRACES_EXPORTER);
    boolean named =
        exporter.isPresent()
            ? !exporter.get().equalsIgnoreCase("none")
            : find.apply(ENDPOINT).isPresent() || find.apply(TRACES_ENDPOINT).isPresent();
    return new TracingSettings(!disabled && named, properties);
  }

  /**
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT} as the SDK's property {@code otel.exporter.otlp.endpoint}.
   */
  static String propertyName(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Optional<String> first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }
}
