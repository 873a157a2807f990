package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.persistence.TransientConflictException;
import dev.tokenpool.pools.PoolChange;
import dev.tokenpool.pools.PoolSpec;
import dev.tokenpool.tokens.Activation;
import dev.tokenpool.tokens.ActivationOptions;
import dev.tokenpool.tokens.OnFull;
import dev.tokenpool.tokens.PoolFullException;
import dev.tokenpool.tokens.TokenNotActiveException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A named pool served by two nodes of one cluster: created on one, served at once by the other;
 * resized on both in turn while both activate and release in it, with no eviction caused by a
 * shrink and never more live holders than the size; a change of its leases made on one node in
 * force on the other within the directory's freshness.
 */
class PoolsAcrossNodesIT {

  private static final ActivationOptions REFUSE_WHEN_FULL =
      new ActivationOptions(Optional.empty(), OnFull.FAIL, Optional.empty());

  @Test
  void bothNodesServeOnePoolThroughResizesAndSeeItsChanges() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture("pools", s -> s.with(PoolSettings.POOL_SIZE, "2"))) {
      TokenPoolNode a = cluster.local("pools-a", false);
      TokenPoolNode b = cluster.local("pools-b", false);
      a.catalogue()
          .create(
              new PoolSpec(
                  "shared",
                  10,
                  Duration.ofMinutes(2),
                  Duration.ofMinutes(20),
                  Duration.ofHours(1),
                  OnFull.FAIL),
              "ops");
      assertThat(b.pools().resolve("shared").definition().size()).isEqualTo(10);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger given = new AtomicInteger();
      ExecutorService load = Executors.newFixedThreadPool(6);
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        TokenPoolNode node = w % 2 == 0 ? a : b;
        String prefix = "w" + w + "-";
        workers.add(
            load.submit(
                () -> {
                  int i = 0;
                  while (running.get()) {
                    try {
                      Activation held =
                          node.pools()
                              .resolve("shared")
                              .tokens()
                              .activate(prefix + (i++ % 4), REFUSE_WHEN_FULL);
                      given.incrementAndGet();
                      if (i % 2 == 0) {
                        node.pools().resolve("shared").tokens().release(held.tokenId());
                      }
                    } catch (PoolFullException
                        | TransientConflictException
                        | TokenNotActiveException e) {
                      // full, or released by a neighbour first: the load goes on
                    }
                  }
                  return null;
                }));
      }
      List<String> overfull = new ArrayList<>();
      int turn = 0;
      for (int size : List.of(4, 12, 3, 8)) {
        TokenPoolNode resizer = turn++ % 2 == 0 ? a : b;
        Thread.sleep(300);
        resizer.catalogue().change("shared", PoolChange.size(size), "ops");
        long heldLive =
            count(
                cluster,
                "SELECT COUNT(*) FROM tokens t JOIN pools p"
                    + " ON p.id = t.live_pool_id WHERE p.name = 'shared' AND t.current_usage_id IS NOT NULL");
        if (heldLive > size) {
          overfull.add(size + ": " + heldLive);
        }
      }
      running.set(false);
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      load.shutdown();

      assertThat(given.get()).isGreaterThan(20);
      assertThat(overfull).isEmpty();
      assertThat(count(cluster, "SELECT COUNT(*) FROM usages WHERE end_reason = 'EVICTED'"))
          .isZero();
      assertThat(a.catalogue().get("shared").counts().size()).isEqualTo(8);

      b.catalogue()
          .change(
              "shared",
              new PoolChange(
                  Optional.empty(),
                  Optional.of(Duration.ofMinutes(5)),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty()),
              "ops");
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  a.pools()
                      .resolve("shared")
                      .tokens()
                      .leases()
                      .defaultLease()
                      .equals(Duration.ofMinutes(5)));
    }
  }

  private static long count(ClusterFixture cluster, String query) throws Exception {
    try (Connection connection = cluster.db.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      return row.getLong(1);
    }
  }
}
