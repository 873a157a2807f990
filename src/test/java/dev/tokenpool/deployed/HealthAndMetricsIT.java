package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TcpProxy;
import dev.tokenpool.testing.TestDatabase;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health and metrics of a node on MariaDB reached through a relay the test can cut: health turns
 * 503 when the database goes and 200 when it returns, with no restart; metrics follow operations.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthAndMetricsIT {

  private static final int POOL_SIZE = 2;
  private static TestDatabase database;
  private static TcpProxy relay;

  @Deployment(testable = false)
  static WebArchive deployment() {
    database = MariaDbServer.createDatabase("health");
    String[] server = MariaDbServer.hostAndPort().split(":");
    relay = new TcpProxy(server[0], Integer.parseInt(server[1]));
    relay.start();
    return Deployments.realWar(
        "health",
        Map.of(
            "TOKENPOOL_DB_URL",
            database.url().replace(MariaDbServer.hostAndPort(), "127.0.0.1:" + relay.port()),
            "TOKENPOOL_DB_USER",
            database.user(),
            "TOKENPOOL_DB_PASSWORD",
            database.password(),
            "TOKENPOOL_NODE_ID",
            "health-node",
            "TOKENPOOL_POOL_SIZE",
            String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME",
            "PT1H",
            "TOKENPOOL_EXPIRY_INTERVAL",
            "PT1S",
            "TOKENPOOL_CLUSTER_CHECKIN_INTERVAL",
            "PT1S"));
  }

  @AfterAll
  static void cleanUp() {
    if (relay != null) {
      relay.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @ArquillianResource URL base;

  private ApiClient api;
  private ApiClient tokens;

  @BeforeEach
  void client() {
    // /health and /metrics with the admin login, which needs no database to check.
    api =
        new ApiClient(base).withAuthorization(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD));
    relay.start(); // a test that failed midway may have left it stopped
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health").status() == 200);
    tokens = ApiClient.operator(base);
  }

  @Test
  void aHealthyNodeReportsEveryCheckUp() {
    Reply reply = api.get("/health");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode health = reply.json();
    assertThat(health.get("status").asText()).isEqualTo("UP");
    assertThat(health.get("node_id").asText()).isEqualTo("health-node");
    for (String check : new String[] {"database", "scheduler", "expire_tokens_job"}) {
      assertThat(health.get("checks").get(check).get("status").asText()).as(check).isEqualTo("UP");
    }
  }

  /**
   * A query of the run history that hangs (its table locked from outside: the server waits, it does
   * not refuse) must not make the database look down: the stuck probe is not started again while it
   * hangs, so it never takes the threads of the other probes.
   */
  @Test
  void aHungRunHistoryQueryNeverMakesTheDatabaseLookDown() throws Exception {
    try (java.sql.Connection outside = database.connect();
        java.sql.Statement statement = outside.createStatement()) {
      statement.execute("LOCK TABLES job_runs WRITE");
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      int answers = 0;
      while (System.nanoTime() < until) {
        long asked = System.nanoTime();
        Reply reply = api.get("/health");
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(6));
        JsonNode checks = reply.json().get("checks");
        assertThat(checks.get("database").get("status").asText())
            .as("answer %d: %s", answers, reply.json())
            .isEqualTo("UP");
        // Runs cannot be recorded, so /health turns 503 in time; the node still serves requests.
        assertThat(api.get("/health/ready").status())
            .as("ready, answer %d", answers)
            .isEqualTo(200);
        answers++;
        Thread.sleep(1_100); // past the 1 s cache: every answer is a new evaluation
      }
      assertThat(answers).isGreaterThanOrEqualTo(3);
      statement.execute("UNLOCK TABLES");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> api.get("/health").status() == 200);
  }

  @Test
  void healthTurns503WhenTheDatabaseGoesAndBackTo200WhenItReturns() {
    relay.stop();

    long cut = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.get("/health").status() == 503);
    Reply down = api.get("/health");
    assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
    assertThat(down.json().get("checks").get("database").get("status").asText()).isEqualTo("DOWN");
    assertThat(api.get("/health/ready").status()).isEqualTo(503);
    long started = System.nanoTime();
    api.get("/health");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    System.out.printf("Health went DOWN %d ms after the cut%n", (started - cut) / 1_000_000);
    Reply refused = tokens.activate(UUID.randomUUID().toString());
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.header("Retry-After")).isNotNull();

    relay.start();
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> api.get("/health").status() == 200);
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
    assertThat(tokens.activate(UUID.randomUUID().toString()).status()).isEqualTo(200);
  }

  @Test
  void metricsCountActivationsEvictionsEndsRunsAndRequests() {
    tokens.delete("/api/tokens/active");
    String before = api.get("/metrics").body();
    assertThat(api.get("/metrics").contentType()).startsWith("text/plain");

    String first = tokens.activate(UUID.randomUUID().toString()).text("token_id");
    for (int i = 0; i < POOL_SIZE; i++) {
      tokens.activate(UUID.randomUUID().toString()); // the last one evicts the oldest
    }
    String evictedToken = first;
    tokens.post(
        "/api/tokens/"
            + tokens.activate(UUID.randomUUID().toString()).text("token_id")
            + "/release");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                value(
                        api.get("/metrics").body(),
                        "tokenpool_job_runs_seconds_count",
                        "outcome=\"SUCCESS\"")
                    > value(before, "tokenpool_job_runs_seconds_count", "outcome=\"SUCCESS\""));
    String after = api.get("/metrics").body();

    assertThat(
            value(after, "tokenpool_activations_total")
                - value(before, "tokenpool_activations_total"))
        .isEqualTo(POOL_SIZE + 2);
    assertThat(
            value(after, "tokenpool_evictions_total") - value(before, "tokenpool_evictions_total"))
        .isEqualTo(2);
    assertThat(delta(before, after, "tokenpool_usages_ended_total", "reason=\"EVICTED\""))
        .isEqualTo(2);
    assertThat(delta(before, after, "tokenpool_usages_ended_total", "reason=\"RELEASED\""))
        .isEqualTo(1);
    assertThat(evictedToken).isNotNull();
    assertThat(
            delta(
                before,
                after,
                "http_server_requests_seconds_count",
                "uri=\"/api/tokens/activate\"",
                "status=\"200\"",
                "method=\"POST\""))
        .isEqualTo(POOL_SIZE + 2);
    // The pool gauges read the database at most once a second.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> value(api.get("/metrics").body(), "tokenpool_tokens_active") == POOL_SIZE - 1);
    assertThat(after).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    // Made-up methods are counted under one label, not one series each.
    tokens.send(
        "FROBNICATE", "/api/tokens", null, java.net.http.HttpRequest.BodyPublishers.noBody());
    String withOddMethod = api.get("/metrics").body();
    assertThat(withOddMethod).doesNotContain("FROBNICATE");
    assertThat(value(withOddMethod, "http_server_requests_seconds_count", "method=\"OTHER\""))
        .isPositive();
  }

  private static double delta(String before, String after, String metric, String... labels) {
    return value(after, metric, labels) - value(before, metric, labels);
  }

  /** The sum of a metric's samples whose labels contain all of {@code labels}. */
  private static double value(String exposition, String metric, String... labels) {
    return exposition
        .lines()
        .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
        .filter(line -> Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
