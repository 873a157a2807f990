package dev.tokenpool.cluster;

import static dev.tokenpool.cluster.ClusterFixture.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ClusterNode;
import dev.tokenpool.testing.ForkedNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the admin API and the console show of the cluster ({@code GET /api/admin/nodes}), seen from
 * an API-only node: scheduler nodes check in, one that stops cleanly leaves, and one killed is
 * presumed dead by Quartz's rule and stays listed, since no live scheduler recovers it.
 */
class ClusterViewIT {

  @Test
  void schedulerNodesAreListedAliveALeavingOneGoesAndAKilledOneIsPresumedDead() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "cluster-view",
            settings -> settings.with(SchedulerSettings.CLUSTER_CHECKIN_INTERVAL, "PT1S"))) {
      TokenPoolNode observer = cluster.local(uniqueId("api-only"), false);
      List<ForkedNode> schedulers = cluster.forked(uniqueId("doomed"), uniqueId("leaving"));
      String doomed = schedulers.get(0).nodeId();
      String leaving = schedulers.get(1).nodeId();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> aliveness(observer),
              nodes -> nodes.equals(Map.of(doomed, true, leaving, true)));
      ClusterNode listed = nodes(observer).get(0);
      assertThat(listed.checkInInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(nodes(observer)).extracting(ClusterNode::nodeId).isSorted();

      schedulers.get(1).close();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> aliveness(observer), nodes -> nodes.equals(Map.of(doomed, true)));

      schedulers.get(0).kill();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> aliveness(observer), nodes -> nodes.equals(Map.of(doomed, false)));
      // Dead no sooner than its last check-in plus its interval plus 7.5 s.
      ClusterNode dead = nodes(observer).get(0);
      assertThat(Instant.now())
          .isAfter(dead.lastCheckIn().plus(dead.checkInInterval()).plusMillis(7_500));
    }
  }

  private static List<ClusterNode> nodes(TokenPoolNode node) {
    return node.jobs().cluster().all();
  }

  private static Map<String, Boolean> aliveness(TokenPoolNode node) {
    return nodes(node).stream().collect(Collectors.toMap(ClusterNode::nodeId, ClusterNode::alive));
  }
}
