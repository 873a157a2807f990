package dev.tokenpool.tracing;

import dev.tokenpool.config.InvalidConfigurationException;
import dev.tokenpool.jobs.RunSpans;
import dev.tokenpool.tokens.TokenSpans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import jakarta.servlet.Filter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's tracing: the OpenTelemetry SDK when the settings ask for an export ({@link
 * TracingSettings}), else the no-op tracer, which records nothing but still carries a caller's
 * {@code traceparent} into the log's MDC. It hands out the instrumented parts (the server span
 * filter, the route naming, a DataSource whose statements are spans, the pools' and job runs'
 * spans), and on {@link #close} flushes what is left to export and stops the SDK.
 */
public final class Tracing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);

  /** The name of the tracer, the instrumentation scope of tokenpool's own spans. */
  static final String SCOPE = "dev.tokenpool";

  private static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
  private static final String SERVICE_INSTANCE_ID = "service.instance.id";
  private static final String DISABLED_RESOURCE_PROVIDERS = "otel.java.disabled.resource.providers";
  private static final String RANDOM_INSTANCE_ID =
      "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider";

  /** Traces only: metrics stay with Micrometer's Prometheus endpoint, logs with logback. */
  private static final Map<String, String> TRACES_ONLY =
      Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none");

  private static final long SHUTDOWN_SECONDS = 10;

  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  /** No export: the no-op tracer, with the W3C propagator so a caller's trace is still read. */
  public static Tracing off() {
    return new Tracing(
        OpenTelemetry.propagating(
            ContextPropagators.create(W3CTraceContextPropagator.getInstance())),
        null);
  }

  /**
   * The SDK configured by the standard settings when they ask for an export, else {@link #off()}.
   * The node id is the resource's {@code service.instance.id} unless the settings name one.
   *
   * @throws InvalidConfigurationException when the SDK refuses a setting (its message names it)
   */
  public static Tracing start(TracingSettings settings, String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    if (!settings.exporting()) {
      return off();
    }
    OpenTelemetrySdk sdk;
    try {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(settings::containerProperties)
              .addPropertiesCustomizer(config -> TRACES_ONLY)
              .addPropertiesCustomizer(config -> withInstanceId(config, nodeId))
              .addSamplerCustomizer((sampler, config) -> new StatementsInContext(sampler))
              // The WAR's classes go with the deployment: close() stops the SDK on undeploy, and
              // a JVM-wide hook would keep them alive.
              .disableShutdownHook()
              .setServiceClassLoader(Tracing.class.getClassLoader())
              .build()
              .getOpenTelemetrySdk();
    } catch (ConfigurationException e) {
      throw new InvalidConfigurationException("OTEL_*", e.getMessage());
    }
    log.info("Exporting traces: {}", sdk.getSdkTracerProvider());
    return new Tracing(sdk, sdk);
  }

  /** The node id as {@code service.instance.id}, unless OTEL_RESOURCE_ATTRIBUTES names one. */
  private static Map<String, String> withInstanceId(ConfigProperties config, String nodeId) {
    if (config.getMap(RESOURCE_ATTRIBUTES).containsKey(SERVICE_INSTANCE_ID)) {
      return Map.of();
    }
    String given = config.getString(RESOURCE_ATTRIBUTES, "");
    String disabled = config.getString(DISABLED_RESOURCE_PROVIDERS, "");
    return Map.of(
        RESOURCE_ATTRIBUTES,
        (given.isBlank() ? "" : given + ",") + SERVICE_INSTANCE_ID + "=" + nodeId,
        // The SDK's random instance id, which the node id replaces (with a warning otherwise).
        DISABLED_RESOURCE_PROVIDERS,
        (disabled.isBlank() ? "" : disabled + ",") + RANDOM_INSTANCE_ID);
  }

  /** Whether spans are recorded and exported (false: the no-op tracer). */
  public boolean exporting() {
    return sdk != null;
  }

  /** The filter that opens each request's server span; the first of the chain. */
  public Filter serverSpans() {
    return new ServerSpans(tracer, openTelemetry.getPropagators().getTextMapPropagator());
  }

  /** The Jersey filter that names the server span by the route template. */
  public ContainerResponseFilter routeNames() {
    return new RouteNames();
  }

  /**
   * The DataSource whose statements and commits are CLIENT spans under what is current, with the
   * statement's text sanitised (literals replaced by {@code ?}); the DataSource itself when off.
   */
  public DataSource connections(DataSource dataSource) {
    if (!exporting()) {
      return dataSource;
    }
    return JdbcTelemetry.builder(openTelemetry)
        .setTransactionInstrumenterEnabled(true)
        .setQuerySanitizationEnabled(true)
        .build()
        .wrap(dataSource);
  }

  /** The spans of the pool so named. */
  public TokenSpans pool(String name) {
    return exporting() ? new PoolSpans(tracer, name) : TokenSpans.NONE;
  }

  /** The span of each job run. */
  public RunSpans jobRuns() {
    return new JobRunSpans(tracer);
  }

  /** Flushes the spans not yet exported (waiting up to 10 s) and stops the SDK. */
  @Override
  public void close() {
    if (sdk == null) {
      return;
    }
    CompletableResultCode done = sdk.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    if (!done.isSuccess()) {
      log.warn("Traces not yet exported were lost when the node stopped");
    }
  }
}
