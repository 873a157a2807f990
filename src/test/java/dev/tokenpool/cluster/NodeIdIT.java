package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.ForkedNode;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two live scheduler nodes never share an id: Quartz would take the other's running fires for its
 * own and run the job twice at once. A node that stopped cleanly gets its id back at once.
 */
class NodeIdIT {

  private TestDatabase db;

  @BeforeEach
  void createDatabase() {
    db = MariaDbServer.createDatabase("node-id");
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private NodeSettings settings() {
    return NodeSettings.on(db)
        .with(PoolSettings.POOL_SIZE, "5")
        .with(SchedulerSettings.CLUSTER_CHECKIN_INTERVAL, "PT1S");
  }

  private TokenPoolNode start(String nodeId) {
    TokenPoolConfig config = settings().with(TokenPoolConfig.NODE_ID, nodeId).config();
    return TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
  }

  @Test
  void aSecondNodeUnderALiveNodesIdRefusesToStart() {
    String id = ClusterFixture.uniqueId("twin");
    // Another process, as two containers would be (in one JVM, Quartz's MBean names clash first).
    try (ForkedNode first = ForkedNode.start(id, settings().asMap())) {
      assertThatThrownBy(() -> start(id).close())
          .hasMessageContaining("Node id " + id + " is in use by a live node")
          .hasMessageContaining("TOKENPOOL_NODE_ID");
      assertThat(first.isAlive()).isTrue();
    }
  }

  @Test
  void aNodeThatStoppedCleanlyGetsItsIdBackAtOnce() {
    String id = ClusterFixture.uniqueId("again");
    start(id).close();

    long started = System.nanoTime();
    try (TokenPoolNode again = start(id)) {
      assertThat(again.jobs().platform().running()).isTrue();
    }
    // Far below the 1 s check-in + 7.5 s that a node which died would be watched for.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
  }
}
