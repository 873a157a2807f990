package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.testing.RunHistory.Run;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole cluster is down for more than three intervals; when one node comes back, the missed
 * fires make exactly one catch-up run at once, and then the regular cadence resumes.
 */
class MisfireIT {

  private static final Duration INTERVAL = Duration.ofSeconds(2);

  @Test
  void afterAnOutageOneCatchUpRunFiresAtOnceThenTheRegularCadence() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "misfire",
            s ->
                s.with(PoolSettings.POOL_SIZE, "5")
                    .with(SchedulerSettings.EXPIRY_INTERVAL, INTERVAL.toString())
                    .with(SchedulerSettings.CLUSTER_CHECKIN_INTERVAL, "PT1S"))) {
      TokenPoolNode first = cluster.local(ClusterFixture.uniqueId("first"), true);
      await().atMost(Duration.ofSeconds(20)).until(() -> runs(cluster).size() >= 2);
      first.close();
      long down = System.currentTimeMillis();

      // The outage is the scenario itself: 3.5 intervals with no node at all.
      await()
          .pollDelay(INTERVAL.multipliedBy(7).dividedBy(2))
          .atMost(INTERVAL.multipliedBy(5))
          .until(() -> true);
      int before = runs(cluster).size();
      assertThat(runs(cluster).get(before - 1).firedAt()).isLessThan(down);
      long restarted = System.currentTimeMillis();
      cluster.local(ClusterFixture.uniqueId("second"), true);
      await().atMost(INTERVAL.multipliedBy(6)).until(() -> runs(cluster).size() >= before + 3);

      List<Run> after = runs(cluster).subList(before, runs(cluster).size());
      Run catchUp = after.get(0);
      assertThat(catchUp.firedAt() - restarted)
          .as("the catch-up fires at once")
          .isLessThan(INTERVAL.toMillis());
      assertThat(
              after.stream()
                  .filter(r -> r.firedAt() < catchUp.firedAt() + INTERVAL.toMillis() * 8 / 10))
          .as("exactly one catch-up run, no burst of missed ones")
          .hasSize(1);
      for (int i = 1; i < after.size(); i++) {
        long gap = after.get(i).firedAt() - after.get(i - 1).firedAt();
        assertThat(gap)
            .as("gap before run %d", i)
            .isBetween(INTERVAL.toMillis() * 8 / 10, INTERVAL.toMillis() * 16 / 10);
      }
    }
  }

  private static List<Run> runs(ClusterFixture cluster) throws Exception {
    return cluster.history.runs(ExpireTokensJob.NAME);
  }
}
