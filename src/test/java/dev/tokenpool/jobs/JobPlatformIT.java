package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.RunHistory;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.impl.matchers.GroupMatcher;

/** The job platform on MariaDB: registration, failing runs, pruning. */
class JobPlatformIT {

  private TestDatabase db;
  private TokenPoolNode node;

  @BeforeEach
  void createDatabase() {
    db = MariaDbServer.createDatabase("platform");
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
    db.close();
  }

  @Test
  void anotherNodeStartingLeavesTheScheduleAndThePauseAloneAndANewIntervalReplacesIt()
      throws Exception {
    node = start("first", "PT1S");
    Scheduler scheduler = scheduler(node);
    scheduler.pauseTriggers(GroupMatcher.triggerGroupEquals(ExpireTokensJob.NAME));
    Trigger before = scheduler.getTrigger(definition(node).triggerKey());

    TokenPoolNode second = start("second", "PT1S");
    Trigger unchanged = scheduler.getTrigger(definition(node).triggerKey());
    assertThat(unchanged.getNextFireTime()).isEqualTo(before.getNextFireTime());
    assertThat(unchanged.getStartTime()).isEqualTo(before.getStartTime());
    assertThat(scheduler.getTriggerState(unchanged.getKey()))
        .isEqualTo(Trigger.TriggerState.PAUSED);
    second.close();

    TokenPoolNode third = start("third", "PT3S");
    SimpleTrigger replaced = (SimpleTrigger) scheduler.getTrigger(definition(node).triggerKey());
    assertThat(replaced.getRepeatInterval()).isEqualTo(3_000);
    assertThat(scheduler.getTriggerState(replaced.getKey()))
        .as("a paused job stays paused when its interval changes")
        .isEqualTo(Trigger.TriggerState.PAUSED);
    third.close();
  }

  @Test
  void anOperatorsIntervalActsAtOnceOutlastsAnotherSettingAndIsResetToTheSetting()
      throws Exception {
    node = start("first", "PT30S");
    JobControl first = node.jobs().control();

    JobStatus set = first.reschedule(ExpireTokensJob.NAME, Duration.ofSeconds(1), "alice");
    assertThat(set.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(set.intervalSetBy()).isEqualTo("alice");
    assertThat(set.intervalSetAt()).isNotNull();
    assertThat(set.nextFireTime()).isBefore(java.time.Instant.now().plusSeconds(2));
    // Runs come every second now, each recorded with the schedule it ran under.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                node.jobs().history().latest(Optional.of(ExpireTokensJob.NAME), 10).stream()
                        .filter(run -> !run.manual())
                        .filter(run -> Duration.ofSeconds(1).equals(run.schedule()))
                        .count()
                    >= 2);

    assertThatThrownBy(
            () -> first.reschedule(ExpireTokensJob.NAME, Duration.ofMillis(500), "alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1S")
        .hasMessageContaining(SchedulerSettings.EXPIRY_INTERVAL);
    assertThatThrownBy(() -> first.reschedule(ExpireTokensJob.NAME, Duration.ofHours(2), "a"))
        .isInstanceOf(IllegalArgumentException.class);
    node.close();

    // A node started with another setting leaves the operator's interval alone.
    node = start("second", "PT5S");
    JobControl control = node.jobs().control();
    assertThat(control.status(ExpireTokensJob.NAME).interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(control.status(ExpireTokensJob.NAME).intervalSetBy()).isEqualTo("alice");

    control.pause(ExpireTokensJob.NAME);
    JobStatus whilePaused = control.reschedule(ExpireTokensJob.NAME, Duration.ofSeconds(2), "bob");
    assertThat(whilePaused.state()).as("a paused job stays paused").isEqualTo(JobState.PAUSED);
    assertThat(whilePaused.interval()).isEqualTo(Duration.ofSeconds(2));
    control.resume(ExpireTokensJob.NAME);

    JobStatus reset = control.resetSchedule(ExpireTokensJob.NAME, "carol");
    assertThat(reset.interval()).as("this node's setting").isEqualTo(Duration.ofSeconds(5));
    assertThat(reset.intervalSetBy()).isEqualTo(ScheduleOrigin.SETTING);
    node.close();

    // Back on a setting, the job follows the setting of the next node to start, as before.
    node = start("third", "PT3S");
    assertThat(node.jobs().control().status(ExpireTokensJob.NAME).interval())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFailingRunIsRecordedWithItsErrorAndTheNextRunsProceed() throws Exception {
    node = start("failing", "PT1S");
    RunHistory history = new RunHistory(db);
    await().atMost(Duration.ofSeconds(10)).until(() -> successes(history) >= 1);

    sql("RENAME TABLE tokens TO tokens_away");
    RunHistory.Run failed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    history.runs(ExpireTokensJob.NAME).stream()
                        .filter(run -> run.outcome().equals("FAILED"))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    sql("RENAME TABLE tokens_away TO tokens");
    long restored = System.currentTimeMillis();

    assertThat(failed.error()).containsIgnoringCase("tokens");
    assertThat(failed.finishedAt()).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                history.runs(ExpireTokensJob.NAME).stream()
                    .anyMatch(
                        run -> run.outcome().equals("SUCCESS") && run.startedAt() > restored));
    assertThat(scheduler(node).isStarted()).isTrue();
    assertThat(node.tokenService().activate(UUID.randomUUID().toString()).tokenId()).isNotNull();
  }

  @Test
  void healthTurnsDownWhenTheExpiryJobStopsSucceedingButNotWhenItIsPaused() throws Exception {
    node = start("health", "PT1S");
    await().atMost(Duration.ofSeconds(10)).until(() -> node.health().current().up());

    sql("RENAME TABLE tokens TO tokens_away");
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !node.health().current().checks().get("expire_tokens_job").up());
      assertThat(node.health().current().checks().get("database").up()).isTrue();
      assertThat(node.health().current().up()).isFalse();

      node.jobs().control().pause(ExpireTokensJob.NAME);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  node.health()
                      .current()
                      .checks()
                      .get("expire_tokens_job")
                      .detail()
                      .equals("paused"));
      assertThat(node.health().current().up()).isTrue();
    } finally {
      sql("RENAME TABLE tokens_away TO tokens");
    }
    node.jobs().control().resume(ExpireTokensJob.NAME);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.health().current().up());
  }

  @Test
  void thePruneJobDeletesRunsOlderThanTheRetentionAndKeepsTheRest() throws Exception {
    node =
        TokenPoolNode.start(
            config("pruner", "PT1S", Duration.ofMinutes(1)),
            Database.open(config("pruner", "PT1S", Duration.ofMinutes(1)).database()),
            Clock.systemUTC());
    RunHistory history = new RunHistory(db);
    long old = System.currentTimeMillis() - Duration.ofMinutes(2).toMillis();
    sql(
        "INSERT INTO job_runs (job_name, fire_instance_id, node_id, fired_at, started_at,"
            + " finished_at, outcome, released, manual, recovering)"
            + " VALUES ('expire-tokens', 'old-run', 'gone', %d, %d, %d, 'SUCCESS', 0, FALSE, FALSE)",
        old, old, old);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                history.count("SELECT COUNT(*) FROM job_runs WHERE fire_instance_id = 'old-run'")
                    == 0);
    assertThat(history.runs(PruneJobRunsJob.NAME)).anyMatch(run -> run.outcome().equals("SUCCESS"));
    assertThat(successes(history)).isPositive();
  }

  @Test
  void aNodeWhoseJobStoreIsGoneMidRunStillStopsWithinItsStopWait() throws Exception {
    TokenPoolConfig config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, "stopping")
            .with(PoolSettings.POOL_SIZE, "5")
            .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S")
            .with(SchedulerSettings.EXPIRY_RUN_DELAY, "PT2S")
            .with(SchedulerSettings.SCHEDULER_STOP_WAIT, "PT1S")
            .config();
    node = TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
    RunHistory history = new RunHistory(db);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                history.runs(ExpireTokensJob.NAME).stream()
                    .anyMatch(run -> run.outcome().equals("RUNNING")));
    // Quartz can no longer take its lock: the run's completion retries until the store stops.
    sql("RENAME TABLE QRTZ_LOCKS TO QRTZ_LOCKS_AWAY");
    TokenPoolNode stopping = node;
    node = null;
    Duration took;
    try {
      long start = System.nanoTime();
      assertTimeoutPreemptively(Duration.ofSeconds(30), stopping::close);
      took = Duration.ofNanos(System.nanoTime() - start);
    } finally {
      sql("RENAME TABLE QRTZ_LOCKS_AWAY TO QRTZ_LOCKS");
    }

    assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15));
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("tokenpool-job[stopping]"));
    // Its fire is still registered: the check-in row stays for the cluster to recover it.
    assertThat(checkIns("stopping")).isEqualTo(1);
  }

  private long checkIns(String nodeId) throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE INSTANCE_NAME = ?")) {
      select.setString(1, nodeId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private TokenPoolNode start(String nodeId, String interval) {
    TokenPoolConfig config = config(nodeId, interval, SchedulerSettings.DEFAULT_RUN_RETENTION);
    return TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
  }

  private TokenPoolConfig config(String nodeId, String interval, Duration retention) {
    return NodeSettings.on(db)
        .with(TokenPoolConfig.NODE_ID, nodeId)
        .with(PoolSettings.POOL_SIZE, "5")
        .with(SchedulerSettings.EXPIRY_INTERVAL, interval)
        .with(SchedulerSettings.PRUNE_INTERVAL, "PT1S")
        .with(SchedulerSettings.RUN_RETENTION, retention.toString())
        .config();
  }

  private static Scheduler scheduler(TokenPoolNode node) {
    return node.jobs().platform().scheduler();
  }

  private static JobDefinition definition(TokenPoolNode node) {
    return node.jobs().catalogue().named(ExpireTokensJob.NAME);
  }

  private static long successes(RunHistory history) throws Exception {
    return history.runs(ExpireTokensJob.NAME).stream()
        .filter(r -> r.outcome().equals("SUCCESS"))
        .count();
  }

  private void sql(String template, Object... args) throws Exception {
    try (Connection connection = db.connect()) {
      connection.createStatement().execute(String.format(template, args));
    }
  }
}
