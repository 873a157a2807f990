package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Nodes starting at the same moment on one empty MariaDB database create the pool once. */
class PoolSeedingIT {

  private static final int NODES = 6;
  private static final int POOL_SIZE = 1_000;

  @Test
  void nodesStartingTogetherOnAnEmptyDatabaseCreateExactlyThePool() throws Exception {
    try (TestDatabase db = MariaDbServer.createDatabase("seeding")) {
      CyclicBarrier startTogether = new CyclicBarrier(NODES);
      ExecutorService starter = Executors.newFixedThreadPool(NODES);
      List<Future<TokenPoolNode>> nodes = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        TokenPoolConfig config =
            NodeSettings.on(db)
                .with(PoolSettings.POOL_SIZE, String.valueOf(POOL_SIZE))
                .with(TokenPoolConfig.NODE_ID, "seeding-" + i)
                .config();
        nodes.add(
            starter.submit(
                () -> {
                  Database database = Database.open(config.database());
                  startTogether.await();
                  return TokenPoolNode.start(config, database, Clock.systemUTC());
                }));
      }
      List<TokenPoolNode> started = new ArrayList<>();
      for (Future<TokenPoolNode> node : nodes) {
        started.add(node.get(2, TimeUnit.MINUTES));
      }
      starter.shutdown();

      try (Connection connection = db.connect();
          ResultSet rows =
              connection
                  .createStatement()
                  .executeQuery(
                      "SELECT COUNT(*), COUNT(DISTINCT id), MIN(slot), MAX(slot) FROM tokens")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(POOL_SIZE);
        assertThat(rows.getInt(2)).isEqualTo(POOL_SIZE);
        assertThat(rows.getInt(3)).isEqualTo(1);
        assertThat(rows.getInt(4)).isEqualTo(POOL_SIZE);
      }
      for (TokenPoolNode node : started) {
        assertThat(node.tokenService().list(TokenFilter.ALL, 0, 1).availableCount())
            .isEqualTo(POOL_SIZE);
        node.close();
      }
    }
  }
}
