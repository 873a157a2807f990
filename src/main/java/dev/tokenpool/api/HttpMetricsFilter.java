package dev.tokenpool.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every request by route template (not raw path, so token ids do not explode the series),
 * method and status: {@code http_server_requests_seconds}.
 */
@PreMatching
@Priority(100) // before authentication, so refused requests are timed too
public final class HttpMetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {

  private static final String STARTED = HttpMetricsFilter.class.getName() + ".started";
  private static final Pattern SLASHES = Pattern.compile("/+");

  private final MeterRegistry registry;

  /** One timer per series, found without building a meter id on every request. */
  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

  private record Series(String method, String uri, int status) {}

  public HttpMetricsFilter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object started = request.getProperty(STARTED);
    if (!(started instanceof Long nanos)) {
      return;
    }
    Series series =
        new Series(
            method(request.getMethod()),
            route(request.getUriInfo(), response.getStatus()),
            response.getStatus());
    timers
        .computeIfAbsent(series, this::timer)
        .record(System.nanoTime() - nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Buckets for latency quantiles in Prometheus ({@code histogram_quantile} over {@code
   * http_server_requests_seconds_bucket}): fixed, so that every node's series add up.
   */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private Timer timer(Series series) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests, by route template, method, status and outcome")
        .tag("method", series.method())
        .tag("uri", series.uri())
        .tag("status", String.valueOf(series.status()))
        .tag("outcome", outcome(series.status()))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  /** Micrometer's outcome of a status: what alerts group by. */
  static String outcome(int status) {
    if (status >= 500) {
      return "SERVER_ERROR";
    }
    if (status >= 400) {
      return "CLIENT_ERROR";
    }
    if (status >= 300) {
      return "REDIRECTION";
    }
    return status >= 200 ? "SUCCESS" : "INFORMATIONAL";
  }

  private static final java.util.Set<String> METHODS =
      java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  /** The method, or OTHER: clients choose methods freely, and each value would be a new series. */
  private static String method(String method) {
    String upper = method.toUpperCase(Locale.ROOT);
    return METHODS.contains(upper) ? upper : "OTHER";
  }

  private static String route(UriInfo uriInfo, int status) {
    return routeTemplate(uriInfo).orElse(status == 404 ? "NOT_FOUND" : "UNMATCHED");
  }

  /**
   * The route template the request matched, such as {@code /api/tokens/{token_id}}; empty when it
   * matched none. Also the name of the request's span (dev.tokenpool.tracing).
   */
  public static Optional<String> routeTemplate(UriInfo uriInfo) {
    if (uriInfo instanceof ExtendedUriInfo extended) {
      List<UriTemplate> templates = extended.getMatchedTemplates();
      if (!templates.isEmpty()) {
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
          route.append(templates.get(i).getTemplate());
        }
        return Optional.of(SLASHES.matcher(route).replaceAll("/"));
      }
    }
    return Optional.empty();
  }
}
