package dev.tokenpool.logging;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

class RequestLogContextTest {

  private final Map<String, Object> attributes = new HashMap<>();
  private final Map<String, String> responseHeaders = new HashMap<>();
  private final RequestLogContext filter = new RequestLogContext("node-a");

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  private HttpServletRequest request(String requestId) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getHeader" ->
                      "X-Request-Id".equalsIgnoreCase((String) args[0]) ? requestId : null;
                  case "setAttribute" -> attributes.put((String) args[0], args[1]);
                  default -> null;
                });
  }

  private HttpServletResponse response() {
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) ->
                method.getName().equals("setHeader")
                    ? responseHeaders.put((String) args[0], (String) args[1])
                    : null);
  }

  /** Runs the filter; returns the MDC as the rest of the chain saw it. */
  private Map<String, String> through(String requestId) throws Exception {
    AtomicReference<Map<String, String>> seen = new AtomicReference<>();
    FilterChain chain =
        (request, response) -> {
          LogFields.principal("key/billing");
          seen.set(MDC.getCopyOfContextMap());
        };
    filter.doFilter(request(requestId), response(), chain);
    return seen.get();
  }

  @Test
  void aSaneIncomingIdIsKeptLoggedEchoedAndGivenToTheAccessLog() throws Exception {
    Map<String, String> mdc = through("3f2a9c1e-7b4d-4e1a-9f00-acme.1:2_x");

    assertThat(mdc)
        .containsEntry("request_id", "3f2a9c1e-7b4d-4e1a-9f00-acme.1:2_x")
        .containsEntry("node", "node-a")
        .containsEntry("principal", "key/billing");
    assertThat(responseHeaders).containsEntry("X-Request-Id", "3f2a9c1e-7b4d-4e1a-9f00-acme.1:2_x");
    assertThat(attributes)
        .containsEntry("tokenpool.request_id", "3f2a9c1e-7b4d-4e1a-9f00-acme.1:2_x");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "has space",
        "quote\"",
        "new\nline",
        "ünïcode",
        "tpk_Q2hhbmdlTWVQbGVhc2VJdElzQVRlc3RLZXk",
        "0123456789012345678901234567890123456789012345678901234567890123456789"
      })
  void anInsaneOrMissingIdIsReplacedByANewOne(String offered) throws Exception {
    Map<String, String> mdc = through(offered);

    String id = mdc.get("request_id");
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(responseHeaders).containsEntry("X-Request-Id", id);
    assertThat(through(null).get("request_id")).matches("[0-9a-f]{32}").isNotEqualTo(id);
  }

  @Test
  void afterTheRequestItsKeysAreGoneAndOtherFiltersKeysStay() throws Exception {
    MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");

    through("r-1");

    assertThat(MDC.getCopyOfContextMap())
        .containsOnlyKeys("trace_id")
        .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void aJobRunScopeSetsItsIdAndPutsBackWhatWasThere() {
    LogFields.Scope outer = LogFields.jobRun("run-1");
    LogFields.Scope inner = LogFields.jobRun("run-2");
    assertThat(MDC.get("job_run_id")).isEqualTo("run-2");
    inner.close();
    assertThat(MDC.get("job_run_id")).isEqualTo("run-1");
    outer.close();
    assertThat(MDC.get("job_run_id")).isNull();
  }
}
