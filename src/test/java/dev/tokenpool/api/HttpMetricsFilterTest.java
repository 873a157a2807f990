package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

/** Requests are timed by route template, method and status, refused ones included. */
final class HttpMetricsFilterTest {

  private static final InMemoryApi api = InMemoryApi.start();

  private static long count(String method, String uri, int status) {
    Timer timer =
        api.registry()
            .find("http.server.requests")
            .tag("method", method)
            .tag("uri", uri)
            .tag("status", String.valueOf(status))
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void aRoutedRequestIsTimedUnderItsTemplateNotItsPath() {
    api.get("/api/tokens/not-a-uuid").asService().send();

    assertThat(count("GET", "/api/tokens/{tokenId}", 400)).isEqualTo(1);
  }

  @Test
  void anUnknownPathIsTimedAsNotFound() {
    api.get("/no/such/path").send();

    assertThat(count("GET", "NOT_FOUND", 404)).isEqualTo(1);
  }

  @Test
  void aRequestRefusedBeforeRoutingIsTimedAsUnmatched() {
    api.request("PATCH", "/api/admin/probe").send();

    assertThat(count("PATCH", "UNMATCHED", 401)).isEqualTo(1);
  }

  @Test
  void anUnknownMethodIsTimedAsOther() {
    api.request("BREW", "/api/tokens/active").asService().send();

    assertThat(api.registry().find("http.server.requests").tag("method", "BREW").timers())
        .isEmpty();
    assertThat(api.registry().find("http.server.requests").tag("method", "OTHER").timers())
        .hasSize(1);
  }
}
