package dev.tokenpool.api;

import dev.tokenpool.admin.TokenPoolMetrics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code GET /metrics}: this node's metrics in the Prometheus text format. */
@Path("/metrics")
public final class MetricsResource {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final TokenPoolMetrics metrics;

  public MetricsResource(TokenPoolMetrics metrics) {
    this.metrics = metrics;
  }

  @GET
  @Produces(PROMETHEUS_TEXT)
  public String scrape() {
    return metrics.scrape();
  }
}
