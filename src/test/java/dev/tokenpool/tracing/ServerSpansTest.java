package dev.tokenpool.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The server span filter in front of a servlet in a real (embedded) Tomcat with one request thread,
 * over HTTP: what the servlet sees in the MDC and as the current span, and what the span records.
 */
class ServerSpansTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01";

  private final RecordedSpans recorded = new RecordedSpans();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private Tomcat tomcat;

  /** Answers by path, and notes the MDC and the current span it ran with. */
  private final class Probe extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException {
      seen.clear();
      note("trace_id", MDC.get(TraceMdc.TRACE_ID));
      note("span_id", MDC.get(TraceMdc.SPAN_ID));
      note("current", Span.current().getSpanContext().getSpanId());
      switch (request.getRequestURI()) {
        case "/bad-gateway" -> response.setStatus(502);
        case "/missing" -> response.setStatus(404);
        case "/broken" -> throw new ServletException("broken");
        case "/waiting" -> {
          AsyncContext async = request.startAsync();
          new Thread(
                  () -> {
                    ((HttpServletResponse) async.getResponse()).setStatus(201);
                    async.complete();
                  })
              .start();
        }
        default -> response.setStatus(200);
      }
    }

    private void note(String key, String value) {
      if (value != null) {
        seen.put(key, value);
      }
    }
  }

  private URI start(Filter filter) throws LifecycleException, java.io.IOException {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("server-spans-test").toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.getConnector().setProperty("maxThreads", "1");
    StandardContext context = (StandardContext) tomcat.addContext("", null);
    // This test's threads are its own: no leak hunt when Tomcat stops (it warns without
    // --add-opens).
    context.setClearReferencesRmiTargets(false);
    context.setClearReferencesThreadLocals(false);
    Tomcat.addServlet(context, "probe", new Probe()).setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "probe");
    FilterDef spans = new FilterDef();
    spans.setFilterName("spans");
    spans.setFilter(filter);
    spans.setAsyncSupported("true");
    context.addFilterDef(spans);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("spans");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  @AfterEach
  void stop() throws LifecycleException {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private int get(URI base, String path, String traceparent) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).header("User-Agent", "probe/1");
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private ServerSpans recording() {
    return new ServerSpans(recorded.provider.get("test"), W3CTraceContextPropagator.getInstance());
  }

  @Test
  void withTracingOffTheCallersTraceIsInTheMdcForTheRequestAndGoneAfter() throws Exception {
    URI base = start(Tracing.off().serverSpans());

    assertThat(get(base, "/tokens", TRACEPARENT)).isEqualTo(200);
    assertThat(seen)
        .containsEntry("trace_id", TRACE_ID)
        .containsEntry("span_id", CALLER_SPAN_ID)
        .containsEntry("current", CALLER_SPAN_ID);

    // The same (only) request thread, without a traceparent: nothing left behind.
    assertThat(get(base, "/tokens", null)).isEqualTo(200);
    assertThat(seen).doesNotContainKeys("trace_id", "span_id");
  }

  @Test
  void aRequestIsAServerSpanUnderTheCallersSpanAndCurrentWhileItRuns() throws Exception {
    URI base = start(recording());

    assertThat(get(base, "/tokens?api_key=secret-in-query", TRACEPARENT)).isEqualTo(200);

    SpanData server = recorded.named("GET");
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
    assertThat(server.getParentSpanContext().isRemote()).isTrue();
    assertThat(seen)
        .containsEntry("trace_id", TRACE_ID)
        .containsEntry("span_id", server.getSpanId())
        .containsEntry("current", server.getSpanId());
    assertThat(server.getAttributes().asMap())
        .containsEntry(SpanAttributes.HTTP_REQUEST_METHOD, "GET")
        .containsEntry(SpanAttributes.URL_PATH, "/tokens")
        .containsEntry(SpanAttributes.URL_SCHEME, "http")
        .containsEntry(SpanAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .containsEntry(SpanAttributes.NETWORK_PROTOCOL_VERSION, "1.1")
        .containsEntry(SpanAttributes.USER_AGENT_ORIGINAL, "probe/1");
    assertThat(server.getAttributes().asMap().values())
        .noneMatch(value -> String.valueOf(value).contains("secret"));
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void withoutATraceparentARequestStartsATraceOfItsOwn() throws Exception {
    URI base = start(recording());

    get(base, "/tokens", null);

    SpanData server = recorded.named("GET");
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(seen).containsEntry("trace_id", server.getTraceId());
  }

  @Test
  void aServerErrorFailsTheSpanAndAClientErrorDoesNot() throws Exception {
    URI base = start(recording());

    get(base, "/bad-gateway", null);
    get(base, "/missing", null);

    assertThat(recorded.spans())
        .extracting(
            span -> span.getAttributes().get(SpanAttributes.HTTP_RESPONSE_STATUS_CODE),
            span -> span.getStatus().getStatusCode(),
            span -> span.getAttributes().get(SpanAttributes.ERROR_TYPE))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(502L, StatusCode.ERROR, "502"),
            org.assertj.core.groups.Tuple.tuple(404L, StatusCode.UNSET, null));
  }

  @Test
  void aThrowingRequestIsAFailedSpanWithItsException() throws Exception {
    URI base = start(recording());

    assertThat(get(base, "/broken", null)).isEqualTo(500);

    SpanData server = recorded.named("GET");
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(server.getAttributes().get(SpanAttributes.HTTP_RESPONSE_STATUS_CODE))
        .isEqualTo(500L);
    assertThat(server.getAttributes().get(SpanAttributes.ERROR_TYPE))
        .isEqualTo(ServletException.class.getName());
    assertThat(server.getEvents()).extracting("name").containsExactly("exception");
  }

  @Test
  void aSuspendedRequestEndsItsSpanWhenItCompletes() throws Exception {
    URI base = start(recording());

    assertThat(get(base, "/waiting", TRACEPARENT)).isEqualTo(201);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        recorded
                            .named("GET")
                            .getAttributes()
                            .get(SpanAttributes.HTTP_RESPONSE_STATUS_CODE))
                    .isEqualTo(201L));
    assertThat(recorded.spans()).hasSize(1);
  }
}
