package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.testing.RunHistory.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * A manual pass on one node runs while the scheduled pass runs on another, over thousands of
 * expired usages: the passes share the work, and each expired usage is ended by exactly one.
 */
class ManualAndScheduledRaceIT {

  private static final int EXPIRED = 3_000;

  @Test
  void manualPassesDuringAScheduledPassEndEachExpiredUsageOnce() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "race",
            s ->
                s.with(PoolSettings.POOL_SIZE, String.valueOf(EXPIRED))
                    .with(PoolSettings.TOKEN_LIFETIME, "PT1S")
                    .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S"))) {
      TokenPoolNode scheduled = cluster.local(ClusterFixture.uniqueId("scheduled"), true);
      TokenPoolNode manual = cluster.local(ClusterFixture.uniqueId("manual"), false);
      GroupMatcher<org.quartz.TriggerKey> expiryGroup =
          GroupMatcher.triggerGroupEquals(ExpireTokensJob.NAME);
      scheduled.jobs().platform().scheduler().pauseTriggers(expiryGroup);
      fill(manual, EXPIRED);
      await() // every usage expires; the schedule is paused, so none is ended yet
          .atMost(Duration.ofSeconds(5))
          .until(() -> manual.tokenService().counts().active() == 0);
      int runsBefore = cluster.history.runs(ExpireTokensJob.NAME).size();

      scheduled.jobs().platform().scheduler().resumeTriggers(expiryGroup);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  cluster.history.count("SELECT COUNT(*) FROM job_runs WHERE outcome = 'RUNNING'")
                      > 0);
      // Every run's recorded outcome while the race lasts, not just the last: a manual pass wrongly
      // closed as abandoned is overwritten by its real end, and would otherwise go unseen.
      Set<String> everAbandoned = ConcurrentHashMap.newKeySet();
      AtomicBoolean racing = new AtomicBoolean(true);
      Thread watcher =
          new Thread(
              () -> {
                while (racing.get()) {
                  everAbandoned.addAll(
                      cluster.history.strings(
                          "SELECT fire_instance_id FROM job_runs WHERE error LIKE 'abandoned%'"));
                }
              },
              "abandoned-watcher");
      watcher.start();
      ExecutorService passes = Executors.newFixedThreadPool(3);
      List<Future<Integer>> manualPasses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        manualPasses.add(passes.submit(() -> manual.jobs().expiry().releaseExpiredNow()));
      }
      int releasedByHand = 0;
      for (Future<Integer> pass : manualPasses) {
        releasedByHand += pass.get(60, TimeUnit.SECONDS);
      }
      passes.shutdown();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  cluster.history.count("SELECT COUNT(*) FROM job_runs WHERE outcome = 'RUNNING'")
                      == 0);
      racing.set(false);
      watcher.join(10_000);
      assertThat(everAbandoned).as("runs recorded as abandoned at some point").isEmpty();

      List<Run> runs = cluster.history.runs(ExpireTokensJob.NAME);
      List<Run> raceRuns = runs.subList(runsBefore, runs.size());
      // A scheduled pass already running when the trigger was paused may end the first usages to
      // expire while the pool fills, so the sum counts every scheduled run of this test's cluster.
      int releasedOnSchedule =
          runs.stream().filter(run -> !run.manual()).mapToInt(Run::released).sum();
      System.out.printf(
          "Race over %d expired usages: scheduled runs ended %d, manual passes %d%n",
          EXPIRED, releasedOnSchedule, releasedByHand);
      assertThat(releasedOnSchedule + releasedByHand).isEqualTo(EXPIRED);
      assertThat(raceRuns.stream().filter(run -> !run.manual()).mapToInt(Run::released).sum())
          .as("the scheduled pass took part in the race")
          .isPositive();
      assertThat(releasedByHand).as("the manual passes took part").isPositive();
      assertThat(raceRuns).allSatisfy(run -> assertThat(run.outcome()).isEqualTo("SUCCESS"));
      assertThat(cluster.history.count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL"))
          .isZero();
      assertThat(cluster.history.endedByRuns()).isEqualTo(EXPIRED);
      assertThat(cluster.history.releasedByRuns()).isEqualTo(EXPIRED);
    }
  }

  private static void fill(TokenPoolNode node, int count) throws Exception {
    ExecutorService fillers = Executors.newFixedThreadPool(8);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(fillers.submit(() -> node.tokenService().activate(UUID.randomUUID().toString())));
    }
    for (Future<?> call : calls) {
      call.get(2, TimeUnit.MINUTES);
    }
    fillers.shutdown();
  }
}
