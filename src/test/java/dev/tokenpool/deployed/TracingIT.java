package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.OtlpReceiver;
import dev.tokenpool.testing.OtlpReceiver.Received;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces as a collector receives them: two WARs export to an OTLP receiver in this test, which
 * decodes every export with opentelemetry-proto. One is configured through the standard OTEL_*
 * settings (as servlet context parameters, so nothing leaks into the other tests of this JVM); the
 * other names the same endpoint but has the SDK disabled, and must send nothing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TracingIT {

  private static final String TRACED = "tokenpool-traced-it";
  private static final String UNTRACED = "tokenpool-untraced-it";
  private static final Duration EXPORTED = Duration.ofSeconds(20);

  private static final OtlpReceiver receiver = OtlpReceiver.start();
  private static final HttpClient http = HttpClient.newHttpClient();

  @Deployment(name = "traced", testable = false)
  static WebArchive traced() throws Exception {
    return Deployments.realWar(
        "traced",
        Map.of(
            "TOKENPOOL_DATA_DIR",
            Files.createTempDirectory("tokenpool-traced-it").toString(),
            "TOKENPOOL_NODE_ID",
            "traced-it",
            // A run of the expiry job every second, for its span.
            "TOKENPOOL_EXPIRY_INTERVAL",
            "PT1S",
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            receiver.endpoint(),
            "OTEL_SERVICE_NAME",
            TRACED,
            "OTEL_BSP_SCHEDULE_DELAY",
            "100"));
  }

  @Deployment(name = "untraced", testable = false)
  static WebArchive untraced() throws Exception {
    return Deployments.realWar(
        "untraced",
        Map.of(
            "TOKENPOOL_DATA_DIR", Files.createTempDirectory("tokenpool-untraced-it").toString(),
            "TOKENPOOL_NODE_ID", "untraced-it",
            "TOKENPOOL_EXPIRY_INTERVAL", "PT1S",
            "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
            "OTEL_SERVICE_NAME", UNTRACED,
            "OTEL_BSP_SCHEDULE_DELAY", "100",
            "OTEL_SDK_DISABLED", "true"));
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Test
  void anActivationIsOneTraceFromTheCallersSpanThroughTheServletAndTheTransactionToJdbc(
      @ArquillianResource @OperateOnDeployment("traced") URL base) throws Exception {
    String key = ApiClient.createKey(base, "tokens:admin", "tracing-" + UUID.randomUUID());
    String traceId = randomHex(16);
    String callerSpanId = randomHex(8);

    HttpResponse<String> answer = activate(base, key, "00-" + traceId + "-" + callerSpanId + "-01");
    assertThat(answer.statusCode()).isEqualTo(200);

    await()
        .atMost(EXPORTED)
        .untilAsserted(
            () -> {
              List<Received> trace =
                  receiver.spansOf(TRACED).stream()
                      .filter(span -> span.traceId().equals(traceId))
                      .toList();
              Received server = only(trace, "POST /api/pools/{pool}/tokens/activate");
              assertThat(server.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
              assertThat(server.parentSpanId()).isEqualTo(callerSpanId);
              assertThat(server.attribute("http.route"))
                  .contains("/api/pools/{pool}/tokens/activate");
              assertThat(server.attribute("http.request.method")).contains("POST");
              assertThat(server.attribute("http.response.status_code")).contains("200");
              assertThat(server.attribute("url.path"))
                  .contains(base.getPath() + "api/pools/default/tokens/activate");

              Received transaction = only(trace, "tokenpool.activate");
              assertThat(transaction.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
              assertThat(transaction.parentSpanId()).isEqualTo(server.spanId());
              assertThat(transaction.attribute("tokenpool.pool")).contains("default");

              List<Received> statements =
                  trace.stream()
                      .filter(span -> span.parentSpanId().equals(transaction.spanId()))
                      .toList();
              assertThat(statements).isNotEmpty();
              assertThat(statements)
                  .allSatisfy(
                      statement ->
                          assertThat(statement.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT));
              assertThat(statements)
                  .anySatisfy(
                      statement ->
                          // db.statement before the stable database conventions.
                          assertThat(
                                  statement
                                      .attribute("db.query.text")
                                      .or(() -> statement.attribute("db.statement")))
                              .hasValueSatisfying(
                                  sql -> assertThat(sql).containsIgnoringCase("update")));
            });
    // No secret leaves the node: neither the API key nor the user id is in any span.
    assertThat(receiver.spansOf(TRACED))
        .allSatisfy(
            span ->
                assertThat(span.attributeValues())
                    .noneMatch(value -> value.contains(key) || value.contains("tracing-user")));
  }

  @Test
  void eachRunOfTheExpiryJobIsATraceWithItsBatches(
      @ArquillianResource @OperateOnDeployment("traced") URL base) {
    await()
        .atMost(EXPORTED)
        .untilAsserted(
            () -> {
              List<Received> spans = receiver.spansOf(TRACED);
              Received run =
                  spans.stream()
                      .filter(span -> span.name().equals("tokenpool.job expire-tokens"))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError("no run of expire-tokens yet"));
              assertThat(run.parentSpanId()).isEmpty();
              assertThat(run.attribute("tokenpool.job.name")).contains("expire-tokens");
              assertThat(run.attribute("tokenpool.job.run_id")).isPresent();
              assertThat(spans)
                  .anySatisfy(
                      batch -> {
                        assertThat(batch.name()).isEqualTo("tokenpool.expiry.batch");
                        assertThat(batch.parentSpanId()).isEqualTo(run.spanId());
                        assertThat(batch.attribute("tokenpool.expiry.ended")).isPresent();
                      });
            });
  }

  @Test
  void aNodeWithTheSdkDisabledExportsNothingThoughItNamesAnEndpoint(
      @ArquillianResource @OperateOnDeployment("untraced") URL base) throws Exception {
    String key = ApiClient.createKey(base, "tokens:admin", "untraced-" + UUID.randomUUID());
    assertThat(activate(base, key, "00-" + randomHex(16) + "-" + randomHex(8) + "-01").statusCode())
        .isEqualTo(200);
    int exportsBefore = receiver.exports();

    // The traced node exports its job runs every second: two more exports prove that time for
    // an export of the untraced node's activation (and its own job runs) has passed.
    await().atMost(EXPORTED).until(() -> receiver.exports() >= exportsBefore + 2);
    assertThat(receiver.spansOf(UNTRACED)).isEmpty();
  }

  private static HttpResponse<String> activate(URL base, String key, String traceparent)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "api/pools/default/tokens/activate"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .header("traceparent", traceparent)
            .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"tracing-user\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Received only(List<Received> spans, String name) {
    Optional<Received> found = spans.stream().filter(span -> span.name().equals(name)).findFirst();
    assertThat(found).as("a span named %s in %s", name, spans).isPresent();
    assertThat(spans.stream().filter(span -> span.name().equals(name))).hasSize(1);
    return found.get();
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    random[0] |= 1; // never all zeros, which W3C calls invalid
    return HexFormat.of().formatHex(random);
  }
}
