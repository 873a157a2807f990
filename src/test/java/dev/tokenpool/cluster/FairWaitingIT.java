package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.tokens.Activation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Waiting is fair across the cluster (issue 18): 200 requests wait on three nodes, queued one after
 * the other round robin over the nodes, and tokens are released in random order through random
 * nodes, a few at a time. Every waiter is served, in exactly the order it arrived whatever node it
 * waits on, no token is given twice, and no token's holdings overlap.
 */
class FairWaitingIT {

  private static final int POOL = 10;
  private static final int WAITERS = 200;

  @Test
  void waitersOnThreeNodesAreServedInArrivalOrder() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "fair-waiting",
            settings ->
                settings
                    .with(PoolSettings.POOL_SIZE, String.valueOf(POOL))
                    .with(PoolSettings.TOKEN_LIFETIME, "PT10M")
                    .with(PoolSettings.MAX_WAIT, "PT5M"))) {
      List<TokenPoolNode> nodes = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        nodes.add(cluster.local(ClusterFixture.uniqueId("wait-" + name), false));
      }
      Random random = new Random(18);
      List<UUID> held = new ArrayList<>();
      for (int i = 0; i < POOL; i++) {
        held.add(nodes.get(i % 3).tokenService().activate("holder-" + i).tokenId());
      }

      List<CompletableFuture<Activation>> waiters = new ArrayList<>();
      long[] servedNanos = new long[WAITERS];
      for (int i = 0; i < WAITERS; i++) {
        int arrival = i;
        CompletableFuture<Activation> waiter =
            nodes
                .get(i % 3)
                .waitingRoom()
                .activate("waiter-" + i, Optional.empty(), Optional.of(Duration.ofMinutes(5)));
        waiter.whenComplete((activation, failure) -> servedNanos[arrival] = System.nanoTime());
        waiters.add(waiter);
      }
      assertThat(waiters).noneMatch(CompletableFuture::isDone);
      assertThat(nodes.get(0).waitingRoom().waitingInCluster()).isEqualTo(WAITERS);

      List<Long> handOffMillis = new ArrayList<>();
      int served = 0;
      while (served < WAITERS) {
        int releases = Math.min(1 + random.nextInt(4), WAITERS - served);
        Collections.shuffle(held, random);
        long releasedAt = System.nanoTime();
        for (int r = 0; r < releases; r++) {
          nodes.get(random.nextInt(3)).tokenService().release(held.remove(held.size() - 1));
        }
        int expected = served + releases;
        await()
            .atMost(10, TimeUnit.SECONDS)
            .pollInterval(Duration.ofMillis(5))
            .until(() -> waiters.stream().filter(CompletableFuture::isDone).count() == expected);
        for (int i = served; i < expected; i++) {
          held.add(waiters.get(i).get().tokenId());
          handOffMillis.add(TimeUnit.NANOSECONDS.toMillis(servedNanos[i] - releasedAt));
        }
        served = expected;
      }

      int orderViolations = 0;
      Set<Long> fences = new HashSet<>();
      for (int i = 0; i < WAITERS; i++) {
        Activation activation = waiters.get(i).get();
        assertThat(activation.userId()).isEqualTo("waiter-" + i);
        fences.add(activation.fence());
        if (i > 0 && activation.fence() <= waiters.get(i - 1).get().fence()) {
          orderViolations++;
        }
      }
      Collections.sort(handOffMillis);
      System.out.printf(
          "fair waiting: %d waiters on 3 nodes, %d order violations, hand-off after a release"
              + " p50 %d ms, p99 %d ms, max %d ms%n",
          WAITERS,
          orderViolations,
          handOffMillis.get(handOffMillis.size() / 2),
          handOffMillis.get(handOffMillis.size() * 99 / 100),
          handOffMillis.get(handOffMillis.size() - 1));
      assertThat(orderViolations).isZero();
      assertThat(fences).as("no holding given twice").hasSize(WAITERS);
      assertThat(overlaps(cluster)).isZero();
      assertThat(nodes.get(1).waitingRoom().waitingInCluster()).isZero();
      // A regression guard, far above the poll period; the benchmark reports the real figures.
      assertThat(handOffMillis.get(handOffMillis.size() * 99 / 100)).isLessThan(2_000);
    }
  }

  /** Holdings of one token that overlap in time, over the whole history. */
  private static int overlaps(ClusterFixture cluster) throws Exception {
    Map<String, Long> lastEnd = new HashMap<>();
    int overlaps = 0;
    try (Connection connection = cluster.db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT token_id, started_at, ended_at FROM usages ORDER BY token_id, id")) {
      while (rows.next()) {
        String token = rows.getString(1);
        Long previousEnd = lastEnd.get(token);
        if (lastEnd.containsKey(token) && (previousEnd == null || rows.getLong(2) < previousEnd)) {
          overlaps++;
        }
        long end = rows.getLong(3);
        lastEnd.put(token, rows.wasNull() ? null : end);
      }
    }
    return overlaps;
  }
}
