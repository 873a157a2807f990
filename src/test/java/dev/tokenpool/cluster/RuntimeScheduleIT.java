package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.jobs.JobRunView;
import dev.tokenpool.jobs.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A job's interval changed at runtime on one node of a two-node cluster: every node reads it at
 * once, the schedule fires by it within one interval, and it outlasts a full cluster restart with
 * nodes whose setting says otherwise.
 */
class RuntimeScheduleIT {

  private static final Duration NEW_INTERVAL = Duration.ofSeconds(1);

  @Test
  void anIntervalSetOnOneNodeIsInForceOnAllAndOutlastsAFullRestart() {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "schedule",
            s ->
                s.with(SchedulerSettings.EXPIRY_INTERVAL, "PT30S")
                    .with(PoolSettings.POOL_SIZE, "5"))) {
      TokenPoolNode a = cluster.local("sched-a", true);
      TokenPoolNode b = cluster.local("sched-b", true);

      Instant changed = Instant.now();
      a.jobs().control().reschedule(ExpireTokensJob.NAME, NEW_INTERVAL, "ops");

      JobStatus seenByB = b.jobs().control().status(ExpireTokensJob.NAME);
      assertThat(seenByB.interval()).isEqualTo(NEW_INTERVAL);
      assertThat(seenByB.intervalSetBy()).isEqualTo("ops");
      // The first run under the new schedule is due within one interval of the change (the old
      // schedule's next run was 30 s away), and the cluster keeps firing by it.
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduledRuns(a).size() >= 3);
      JobRunView first = scheduledRuns(a).get(scheduledRuns(a).size() - 1);
      assertThat(first.scheduledAt()).isBeforeOrEqualTo(changed.plus(NEW_INTERVAL).plusMillis(500));

      a.close();
      b.close();
      TokenPoolNode c = cluster.local("sched-c", true);
      TokenPoolNode d = cluster.local("sched-d", true);
      for (TokenPoolNode node : List.of(c, d)) {
        JobStatus after = node.jobs().control().status(ExpireTokensJob.NAME);
        assertThat(after.interval()).as("after a full restart").isEqualTo(NEW_INTERVAL);
        assertThat(after.intervalSetBy()).isEqualTo("ops");
      }
      Instant restarted = Instant.now();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  scheduledRuns(c).stream()
                          .filter(run -> run.startedAt().isAfter(restarted))
                          .count()
                      >= 2);
    }
  }

  /** Scheduled (not manual) runs of the expiry job under the new interval, newest first. */
  private static List<JobRunView> scheduledRuns(TokenPoolNode node) {
    return node.jobs().history().latest(Optional.of(ExpireTokensJob.NAME), 50).stream()
        .filter(run -> !run.manual())
        .filter(run -> NEW_INTERVAL.equals(run.schedule()))
        .toList();
  }
}
