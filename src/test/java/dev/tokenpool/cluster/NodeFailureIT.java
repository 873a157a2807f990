package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.testing.ForkedNode;
import dev.tokenpool.testing.RunHistory.Run;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A node dies, or only seems to, in the middle of an expiry run. Runs are held for a while before
 * they end anything (TOKENPOOL_EXPIRY_RUN_DELAY) so the test can strike mid-run.
 */
class NodeFailureIT {

  /** Quartz declares a node dead after its check-in interval plus a fixed 7.5 s grace. */
  private static final Duration CHECKIN = Duration.ofSeconds(1);

  private static final Duration FAILURE_DETECTION = CHECKIN.plusMillis(7_500);
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @Test
  void killingTheNodeThatRunsTheJobHandsTheScheduleToAnotherAndReleasesNothingTwice()
      throws Exception {
    try (ClusterFixture cluster = cluster("failover", Duration.ofSeconds(3))) {
      TokenPoolNode api = cluster.local(ClusterFixture.uniqueId("api"), false);
      List<ForkedNode> nodes =
          cluster.forked(
              ClusterFixture.uniqueId("a"),
              ClusterFixture.uniqueId("b"),
              ClusterFixture.uniqueId("c"));
      cluster.startLoad(api, 2, 50);

      Run victimRun = awaitRunningRun(cluster);
      ForkedNode victim = nodeRunning(nodes, victimRun);
      victim.kill();
      long killedAt = System.currentTimeMillis();

      Run takeover =
          await()
              .atMost(FAILURE_DETECTION.plus(INTERVAL).plusSeconds(6))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> runStartedElsewhereAfter(cluster, victim.nodeId(), killedAt),
                  Optional::isPresent)
              .orElseThrow();
      System.out.printf(
          "Run %s on %s took over %d ms after the kill%n",
          takeover.fireInstanceId(), takeover.nodeId(), takeover.startedAt() - killedAt);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                Run abandoned = run(cluster, victimRun.fireInstanceId());
                assertThat(abandoned.outcome()).isEqualTo("FAILED");
                assertThat(abandoned.error()).contains("abandoned");
                assertThat(cluster.history.runs(ExpireTokensJob.NAME))
                    .anyMatch(run -> run.recovering() && run.startedAt() >= killedAt);
              });
      assertEveryExpiredUsageEndedOnce(cluster);
    }
  }

  @Test
  void aFrozenNodeDeclaredDeadFinishesItsRunAfterwardsWithoutEndingAnythingTwice()
      throws Exception {
    Duration hold = FAILURE_DETECTION.plusSeconds(4); // longer than it takes to be declared dead
    try (ClusterFixture cluster = cluster("false-death", hold)) {
      TokenPoolNode api = cluster.local(ClusterFixture.uniqueId("api"), false);
      List<ForkedNode> nodes =
          cluster.forked(ClusterFixture.uniqueId("a"), ClusterFixture.uniqueId("b"));
      cluster.startLoad(api, 2, 50);

      Run frozenRun = awaitRunningRun(cluster);
      ForkedNode frozen = nodeRunning(nodes, frozenRun);
      frozen.freeze();
      long frozenAt = System.currentTimeMillis();

      await()
          .atMost(FAILURE_DETECTION.plus(INTERVAL).plusSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> runStartedElsewhereAfter(cluster, frozen.nodeId(), frozenAt).isPresent());
      frozen.thaw();

      await()
          .atMost(hold.plusSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(run(cluster, frozenRun.fireInstanceId()).outcome())
                      .isEqualTo("SUCCESS"));
      assertThat(cluster.history.runs(ExpireTokensJob.NAME))
          .noneMatch(run -> run.error() != null && !run.error().contains("abandoned"));
      assertEveryExpiredUsageEndedOnce(cluster);
    }
  }

  private static ClusterFixture cluster(String purpose, Duration hold) {
    return new ClusterFixture(
        purpose,
        s ->
            s.with(PoolSettings.POOL_SIZE, "100")
                .with(PoolSettings.TOKEN_LIFETIME, "PT2S")
                .with(SchedulerSettings.EXPIRY_INTERVAL, INTERVAL.toString())
                .with(SchedulerSettings.CLUSTER_CHECKIN_INTERVAL, CHECKIN.toString())
                .with(SchedulerSettings.EXPIRY_RUN_DELAY, hold.toString()));
  }

  /** After the load stops: every expired usage ends, and the runs account for each one once. */
  private static void assertEveryExpiredUsageEndedOnce(ClusterFixture cluster) throws Exception {
    cluster.stopLoad();
    long stopped = System.currentTimeMillis();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cluster.history.openAndExpiredBefore(stopped) == 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        cluster.history.count(
                            "SELECT COUNT(*) FROM job_runs WHERE outcome = 'RUNNING'"))
                    .isZero());
    assertThat(cluster.history.releasedByRuns()).isEqualTo(cluster.history.endedByRuns());
    assertThat(cluster.history.endedByRuns()).isPositive();
  }

  private static Run awaitRunningRun(ClusterFixture cluster) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                cluster.history.runs(ExpireTokensJob.NAME).stream()
                    .filter(run -> run.outcome().equals("RUNNING") && !run.manual())
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static ForkedNode nodeRunning(List<ForkedNode> nodes, Run run) {
    return nodes.stream()
        .filter(node -> node.nodeId().equals(run.nodeId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no forked node ran " + run));
  }

  private static Optional<Run> runStartedElsewhereAfter(
      ClusterFixture cluster, String nodeId, long after) throws Exception {
    return cluster.history.runs(ExpireTokensJob.NAME).stream()
        .filter(run -> !run.nodeId().equals(nodeId) && run.startedAt() > after)
        .findFirst();
  }

  private static Run run(ClusterFixture cluster, String fireInstanceId) throws Exception {
    return cluster.history.runs(ExpireTokensJob.NAME).stream()
        .filter(run -> run.fireInstanceId().equals(fireInstanceId))
        .findFirst()
        .orElseThrow();
  }
}
