package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 64 HTTP clients fire 2,000 activations for users drawn at random into a pool of 100 on MariaDB,
 * while a monitor samples the database. Every invariant is checked during and after the run.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConcurrentActivationIT {

  private static final int POOL_SIZE = 100;
  private static final int CLIENTS = 64;
  private static final int ACTIVATIONS = 2_000;
  private static final int DISTINCT_USERS = 1_500;

  private static TestDatabase database;

  @Deployment(testable = false)
  static WebArchive deployment() {
    database = MariaDbServer.createDatabase("concurrency");
    return Deployments.realWar(
        "concurrency",
        Map.of(
            "TOKENPOOL_DB_URL", database.url(),
            "TOKENPOOL_DB_USER", database.user(),
            "TOKENPOOL_DB_PASSWORD", database.password(),
            "TOKENPOOL_DB_MAX_CONNECTIONS", "20",
            "TOKENPOOL_POOL_SIZE", String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME", "PT1H"));
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @ArquillianResource URL base;

  @Test
  void concurrentActivationsNeverBreakAnInvariantOfThePool() throws Exception {
    ApiClient api = ApiClient.operator(base);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < DISTINCT_USERS; i++) {
      users.add(UUID.randomUUID().toString());
    }
    ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    InvariantMonitor monitor = new InvariantMonitor();
    Thread monitorThread = new Thread(monitor, "invariant-monitor");
    monitorThread.start();

    long startedNanos = System.nanoTime();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < ACTIVATIONS; i++) {
      calls.add(
          clients.submit(
              () -> {
                String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
                replies.add(api.activate(user));
              }));
    }
    for (Future<?> call : calls) {
      call.get(2, TimeUnit.MINUTES);
    }
    clients.shutdown();
    long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    System.out.printf(
        "%d activations by %d clients in %d ms (%.0f/s)%n",
        ACTIVATIONS, CLIENTS, elapsedMillis, ACTIVATIONS * 1000.0 / Math.max(1, elapsedMillis));
    monitor.stop();
    monitorThread.join();

    assertThat(replies).hasSize(ACTIVATIONS);
    assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    assertThat(monitor.samples).as("monitor samples").isGreaterThan(3);
    assertThat(monitor.violations).isEmpty();
    assertThat(scalar("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(POOL_SIZE);
    assertThat(scalar("SELECT COUNT(*) FROM tokens")).isEqualTo(POOL_SIZE);
    assertEachTokenHeldByOneUsageAtATime();
    assertEachUserHeldOneTokenAtATime();
    assertEveryEvictionEndedTheEvictedUsage(replies);
  }

  private void assertEachTokenHeldByOneUsageAtATime() throws SQLException {
    Map<String, List<long[]>> byToken = usages("token_id");
    byToken.forEach(
        (token, usages) -> {
          for (int i = 0; i + 1 < usages.size(); i++) {
            long[] earlier = usages.get(i);
            long[] later = usages.get(i + 1);
            assertThat(earlier[1]).as("usage %d of token %s ended", earlier[2], token).isNotZero();
            assertThat(earlier[1])
                .as("usage %d of token %s ended before the next began", earlier[2], token)
                .isLessThanOrEqualTo(later[0]);
          }
        });
  }

  private void assertEachUserHeldOneTokenAtATime() throws SQLException {
    usages("user_id")
        .forEach(
            (user, usages) -> {
              for (int i = 0; i + 1 < usages.size(); i++) {
                assertThat(usages.get(i)[1]).isNotZero().isLessThanOrEqualTo(usages.get(i + 1)[0]);
              }
            });
  }

  private void assertEveryEvictionEndedTheEvictedUsage(Iterable<Reply> replies)
      throws SQLException {
    int evictions = 0;
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      for (Reply reply : replies) {
        JsonNode body = reply.json();
        if (body.get("evicted_user_id").isNull()) {
          continue;
        }
        evictions++;
        long at = Instant.parse(body.get("activated_at").asText()).toEpochMilli();
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT COUNT(*) FROM usages WHERE end_reason = 'EVICTED' AND token_id = '"
                    + body.get("token_id").asText()
                    + "' AND user_id = '"
                    + body.get("evicted_user_id").asText()
                    + "' AND ended_at = "
                    + at)) {
          rows.next();
          assertThat(rows.getLong(1)).as("evicted usage closed for %s", body).isEqualTo(1);
        }
      }
    }
    assertThat(evictions).isPositive();
    assertThat(scalar("SELECT COUNT(*) FROM usages WHERE end_reason = 'EVICTED'"))
        .isEqualTo(evictions);
  }

  /** Usages grouped by a column, each as {started_at, ended_at or 0, id}, in start order. */
  private Map<String, List<long[]>> usages(String groupColumn) throws SQLException {
    Map<String, List<long[]>> grouped = new HashMap<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT "
                    + groupColumn
                    + ", started_at, COALESCE(ended_at, 0), id FROM usages ORDER BY started_at, id")) {
      while (rows.next()) {
        grouped
            .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
            .add(new long[] {rows.getLong(2), rows.getLong(3), rows.getLong(4)});
      }
    }
    return grouped;
  }

  private static long scalar(String sql) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Samples the live database for states that must never be visible, even for an instant. */
  private static final class InvariantMonitor implements Runnable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    final List<String> violations = new ArrayList<>();
    int samples;

    void stop() {
      running.set(false);
    }

    @Override
    public void run() {
      try (Connection connection = database.connect();
          Statement statement = connection.createStatement()) {
        while (running.get()) {
          check(
              statement,
              "SELECT COUNT(*) FROM usages WHERE ended_at IS NULL",
              POOL_SIZE,
              "open usages");
          check(
              statement,
              "SELECT COUNT(*) FROM (SELECT token_id FROM usages WHERE ended_at IS NULL"
                  + " GROUP BY token_id HAVING COUNT(*) > 1) t",
              0,
              "tokens with two open usages");
          check(
              statement,
              "SELECT COUNT(*) FROM (SELECT user_id FROM usages WHERE ended_at IS NULL"
                  + " GROUP BY user_id HAVING COUNT(*) > 1) t",
              0,
              "users with two open usages");
          check(
              statement,
              "SELECT COUNT(*) FROM tokens WHERE current_usage_id IS NOT NULL",
              POOL_SIZE,
              "held tokens");
          samples++;
          Thread.sleep(25); // sample often, but leave the CPU to the system under test
        }
      } catch (SQLException e) {
        violations.add("monitor failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void check(Statement statement, String sql, long max, String what) throws SQLException {
      try (ResultSet rows = statement.executeQuery(sql)) {
        rows.next();
        long value = rows.getLong(1);
        if (value > max) {
          violations.add(what + " = " + value + " > " + max);
        }
      }
    }
  }
}
