package dev.tokenpool.config;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

import java.time.Duration;
import java.util.Optional;

/**
 * This node's part in the clustered scheduler and the jobs' schedules.
 *
 * @param enabled whether this node runs a member of the clustered scheduler (an API-only node does
 *     not)
 * @param historyRetention how long an ended usage stays in the token history before the prune job
 *     deletes it (the tokens' usage counts keep it)
 * @param checkinInterval how often the node checks in with the cluster; failure detection takes
 *     this plus 7.5 s
 * @param misfireThreshold how late a fire may be before Quartz counts it as misfired; empty: the
 *     job platform derives it from its catalogue (half the shortest interval, at most {@link
 *     #MAX_DERIVED_MISFIRE_THRESHOLD})
 * @param expiryRunDelay for failure drills only: how long each expiry run waits after recording its
 *     start and before ending anything, so a test can kill or freeze the node mid-run
 * @param stopWait how long a stopping node waits for its running jobs before it interrupts them
 */
public record SchedulerSettings(
    boolean enabled,
    Duration expiryInterval,
    Duration pruneInterval,
    Duration runRetention,
    Duration historyRetention,
    Duration checkinInterval,
    Optional<Duration> misfireThreshold,
    Duration expiryRunDelay,
    Duration stopWait) {

  // The settings of this concern: their names, then their defaults.
  public static final String EXPIRY_INTERVAL = "TOKENPOOL_EXPIRY_INTERVAL";
  public static final String CLUSTER_CHECKIN_INTERVAL = "TOKENPOOL_CLUSTER_CHECKIN_INTERVAL";
  public static final String MISFIRE_THRESHOLD = "TOKENPOOL_MISFIRE_THRESHOLD";
  public static final String RUN_RETENTION = "TOKENPOOL_RUN_RETENTION";
  public static final String HISTORY_RETENTION = "TOKENPOOL_HISTORY_RETENTION";
  public static final String PRUNE_INTERVAL = "TOKENPOOL_PRUNE_INTERVAL";
  public static final String EXPIRY_RUN_DELAY = "TOKENPOOL_EXPIRY_RUN_DELAY";
  public static final String SCHEDULER_ENABLED = "TOKENPOOL_SCHEDULER_ENABLED";
  public static final String SCHEDULER_STOP_WAIT = "TOKENPOOL_SCHEDULER_STOP_WAIT";
  public static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLUSTER_CHECKIN_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SCHEDULER_STOP_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RUN_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);
  public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofHours(1);

  /** The same schedules, on a node that runs no jobs (its scheduler stays in standby). */
  public SchedulerSettings inStandby() {
    return new SchedulerSettings(
        false,
        expiryInterval,
        pruneInterval,
        runRetention,
        historyRetention,
        checkinInterval,
        misfireThreshold,
        expiryRunDelay,
        stopWait);
  }

  /** The shortest interval a job may run at, set at startup or by an operator at runtime. */
  public static final Duration MIN_JOB_INTERVAL = ofSeconds(1);

  /** The longest interval of the expiry job. */
  public static final Duration MAX_EXPIRY_INTERVAL = ofHours(1);

  /** The longest interval of the pruning jobs. */
  public static final Duration MAX_PRUNE_INTERVAL = ofDays(1);

  /** Upper bound of the derived misfire threshold (half the shortest job interval). */
  public static final Duration MAX_DERIVED_MISFIRE_THRESHOLD = Duration.ofSeconds(10);

  static SchedulerSettings from(Settings settings) {
    Duration expiry =
        settings.duration(
            EXPIRY_INTERVAL, DEFAULT_EXPIRY_INTERVAL, MIN_JOB_INTERVAL, MAX_EXPIRY_INTERVAL);
    Duration prune =
        settings.duration(
            PRUNE_INTERVAL, DEFAULT_PRUNE_INTERVAL, MIN_JOB_INTERVAL, MAX_PRUNE_INTERVAL);
    return new SchedulerSettings(
        settings.bool(SCHEDULER_ENABLED, true),
        expiry,
        prune,
        settings.duration(RUN_RETENTION, DEFAULT_RUN_RETENTION, ofMinutes(1), ofDays(3650)),
        settings.duration(
            HISTORY_RETENTION, DEFAULT_HISTORY_RETENTION, ofMinutes(1), ofDays(36500)),
        settings.duration(
            CLUSTER_CHECKIN_INTERVAL,
            DEFAULT_CLUSTER_CHECKIN_INTERVAL,
            ofMillis(500),
            ofMinutes(5)),
        settings.optionalDuration(MISFIRE_THRESHOLD, ofMillis(100), ofMinutes(10)),
        settings.duration(EXPIRY_RUN_DELAY, Duration.ZERO, Duration.ZERO, ofMinutes(10)),
        settings.duration(
            SCHEDULER_STOP_WAIT, DEFAULT_SCHEDULER_STOP_WAIT, Duration.ZERO, ofMinutes(10)));
  }
}
