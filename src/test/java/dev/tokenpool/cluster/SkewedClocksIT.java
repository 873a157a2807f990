package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.ForkedNode;
import dev.tokenpool.testing.LeaseLoad;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One clock for the whole cluster (issue 18): two nodes whose own clocks are 90 s ahead and 90 s
 * behind (Debian's libfaketime, preloaded into their JVMs) serve a lease load beside a node with a
 * true clock, and every decision about time still agrees with the database's clock: no holding
 * starts, is renewed or ends at a time the database had not reached, none ends as expired before
 * its expiry, none stays open past its expiry plus the expiry interval, and no token's holdings
 * overlap. The same checks, run on a node that decides by its own skewed clock, find violations.
 * (Debian's faketime package is installed by the build: deploy/ensure-test-tools.sh.)
 */
class SkewedClocksIT {

  private static final Duration SKEW = Duration.ofSeconds(90);
  private static final Duration LOAD = Duration.ofSeconds(12);
  private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);

  /** How long an expiry pass may take beyond its interval on this shared machine. */
  private static final Duration PASS_SLACK = Duration.ofSeconds(2);

  private static String libfaketime;

  @BeforeAll
  static void findLibfaketime() throws IOException {
    try (Stream<Path> found =
        Files.find(
            Path.of("/usr/lib"),
            3,
            (path, attributes) -> path.getFileName().toString().equals("libfaketimeMT.so.1"))) {
      libfaketime =
          found
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "libfaketime is missing: the build installs Debian's faketime"
                              + " (deploy/ensure-test-tools.sh)"))
              .toString();
    }
  }

  @Test
  void nodesWithClocksAheadAndBehindDecideByTheDatabasesClock() throws Exception {
    try (ClusterFixture cluster = cluster("skew")) {
      long loadStart = databaseMillis(cluster.db);
      TokenPoolNode trueClock = cluster.local(ClusterFixture.uniqueId("true"), true);
      Map<String, Duration> skews = new java.util.LinkedHashMap<>();
      skews.put("ahead", SKEW);
      skews.put("behind", SKEW.negated());
      List<ForkedNode> skewed = skewed(cluster, skews);
      ForkedNode ahead = skewed.get(0);
      ForkedNode behind = skewed.get(1);
      LeaseLoad trueLoad = LeaseLoad.start(trueClock.tokenService(), 2);

      long overdueSeen = watchForOverdueHoldings(cluster.db);

      String trueSummary = trueLoad.stop();
      ahead.close();
      behind.close();
      long loadEnd = databaseMillis(cluster.db);
      System.out.printf(
          "skewed clocks: true %s; ahead %s; behind %s%n",
          trueSummary, loadLine(ahead), loadLine(behind));
      for (String summary : List.of(trueSummary, loadLine(ahead), loadLine(behind))) {
        assertThat(summary).contains("failure=null").doesNotContain("activations=0 ");
      }
      assertThat(ahead.log()).contains("ms ahead of the database's").contains("runs no jobs");
      assertThat(behind.log()).contains("ms behind the database's").contains("runs no jobs");
      assertThat(overdueSeen).as("holdings open past expiry plus the interval").isZero();
      assertThat(violations(cluster.db, 0, loadStart, loadEnd)).isEmpty();
      assertThat(count(cluster.db, "SELECT COUNT(*) FROM usages WHERE renewals > 0"))
          .as("renewals happened")
          .isPositive();

      // The control: the same checks find a node that decides by its own clock 90 s ahead (here in
      // this JVM, its clock offset by hand), so they can fail.
      long lastBefore = count(cluster.db, "SELECT COALESCE(MAX(id), 0) FROM usages");
      long controlStart = databaseMillis(cluster.db);
      TokenPoolConfig config =
          NodeSettings.on(cluster.db)
              .with(TokenPoolConfig.NODE_ID, ClusterFixture.uniqueId("own-clock"))
              .with(PoolSettings.POOL_SIZE, "20")
              .with(PoolSettings.TOKEN_LIFETIME, "PT2S")
              .with(SchedulerSettings.SCHEDULER_ENABLED, "false")
              .config();
      try (TokenPoolNode ownClock =
          TokenPoolNode.start(
              config, Database.open(config.database()), Clock.offset(Clock.systemUTC(), SKEW))) {
        LeaseLoad controlLoad = LeaseLoad.start(ownClock.tokenService(), 2);
        Thread.sleep(1_000);
        assertThat(controlLoad.stop()).contains("failure=null");
      }
      assertThat(violations(cluster.db, lastBefore, controlStart, databaseMillis(cluster.db)))
          .as("a node deciding by a clock 90 s ahead starts holdings in the database's future")
          .isNotEmpty();
    }
  }

  private static ClusterFixture cluster(String purpose) {
    return new ClusterFixture(
        purpose,
        s ->
            s.with(PoolSettings.POOL_SIZE, "20")
                .with(PoolSettings.TOKEN_LIFETIME, "PT2S")
                .with(SchedulerSettings.EXPIRY_INTERVAL, EXPIRY_INTERVAL.toString()));
  }

  /**
   * Forked nodes, started together, whose JVMs see this host's clock shifted by the given skews,
   * each putting a lease load on the pool from its start; in the order of the map's iteration.
   */
  private static List<ForkedNode> skewed(ClusterFixture cluster, Map<String, Duration> skews)
      throws Exception {
    ExecutorService starter = Executors.newFixedThreadPool(skews.size());
    try {
      List<Future<ForkedNode>> starting = new ArrayList<>();
      skews.forEach(
          (name, skew) ->
              starting.add(
                  starter.submit(
                      () ->
                          cluster.forked(
                              ClusterFixture.uniqueId(name),
                              Map.of(
                                  SchedulerSettings.SCHEDULER_ENABLED,
                                  "true",
                                  "test.load.threads",
                                  "2"),
                              Map.of(
                                  "LD_PRELOAD",
                                  libfaketime,
                                  "FAKETIME",
                                  // Monotonic clocks shift too, by the same constant: the JVM's
                                  // waits are unchanged, and it runs at full speed (sparing them
                                  // makes every reading a system call: 8 times slower).
                                  (skew.isNegative() ? "-" : "+")
                                      + skew.abs().toSeconds()
                                      + "s")))));
      List<ForkedNode> started = new ArrayList<>();
      for (Future<ForkedNode> node : starting) {
        started.add(node.get(3, TimeUnit.MINUTES));
      }
      return started;
    } finally {
      starter.shutdown();
    }
  }

  /**
   * Samples, for the length of the load, the holdings still open past their expiry plus the expiry
   * interval (and a pass's slack) by the database's clock; returns the most seen at once.
   */
  private static long watchForOverdueHoldings(TestDatabase db) throws Exception {
    long most = 0;
    long until = System.nanoTime() + LOAD.toNanos();
    String overdue =
        "SELECT COUNT(*) FROM usages WHERE ended_at IS NULL AND expires_at < "
            + "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) - "
            + EXPIRY_INTERVAL.plus(PASS_SLACK).toMillis();
    while (System.nanoTime() < until) {
      most = Math.max(most, count(db, overdue));
      Thread.sleep(250);
    }
    return most;
  }

  /**
   * Every holding that breaks a rule of time, as text: each time written lies within the load's
   * span by the database's clock; a holding ended as expired ended at its expiry and was followed
   * no earlier; any other end came before the expiry; a token's holdings follow one another without
   * overlap.
   */
  private static List<String> violations(
      TestDatabase db, long afterId, long loadStart, long loadEnd) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection connection = db.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT id, token_id, started_at, expires_at, ended_at, end_reason,"
                        + " last_renewed_at FROM usages WHERE id > "
                        + afterId
                        + " ORDER BY token_id, id")) {
      String token = null;
      Long previousEnd = null;
      while (rows.next()) {
        long id = rows.getLong(1);
        String tokenId = rows.getString(2);
        long started = rows.getLong(3);
        long expires = rows.getLong(4);
        Long ended = rows.getObject(5, Long.class);
        String reason = rows.getString(6);
        Long renewed = rows.getObject(7, Long.class);
        if (started < loadStart || started > loadEnd) {
          found.add(id + " started at " + started + ", outside " + loadStart + ".." + loadEnd);
        }
        if (renewed != null && (renewed < started || renewed > loadEnd)) {
          found.add(id + " renewed at " + renewed + ", outside " + started + ".." + loadEnd);
        }
        if (ended != null && "EXPIRED".equals(reason) && ended != expires) {
          found.add(id + " ended as expired at " + ended + ", not its expiry " + expires);
        }
        if (ended != null && !"EXPIRED".equals(reason) && (ended < started || ended >= expires)) {
          found.add(
              id + " ended " + reason + " at " + ended + ", outside " + started + ".." + expires);
        }
        if (tokenId.equals(token) && (previousEnd == null || started < previousEnd)) {
          found.add(
              id + " started at " + started + " before the previous holding ended, " + previousEnd);
        }
        token = tokenId;
        previousEnd = ended;
      }
    }
    return found;
  }

  private static String loadLine(ForkedNode node) {
    return node.log().lines().filter(line -> line.startsWith("LOAD ")).findFirst().orElse("(none)");
  }

  private static long databaseMillis(TestDatabase db) throws SQLException {
    return count(db, "SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)");
  }

  private static long count(TestDatabase db, String sql) throws SQLException {
    try (Connection connection = db.connect();
        ResultSet row = connection.createStatement().executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
