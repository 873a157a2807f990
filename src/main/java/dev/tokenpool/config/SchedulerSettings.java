package dev.tokenpool.config;

import static dev.tokenpool.config.TokenPoolConfig.CLUSTER_CHECKIN_INTERVAL;
import static dev.tokenpool.config.TokenPoolConfig.DEFAULT_CLUSTER_CHECKIN_INTERVAL;
import static dev.tokenpool.config.TokenPoolConfig.DEFAULT_EXPIRY_INTERVAL;
import static dev.tokenpool.config.TokenPoolConfig.DEFAULT_HISTORY_RETENTION;
import static dev.tokenpool.config.TokenPoolConfig.DEFAULT_PRUNE_INTERVAL;
import static dev.tokenpool.config.TokenPoolConfig.DEFAULT_RUN_RETENTION;
import static dev.tokenpool.config.TokenPoolConfig.DEFAULT_SCHEDULER_STOP_WAIT;
import static dev.tokenpool.config.TokenPoolConfig.EXPIRY_INTERVAL;
import static dev.tokenpool.config.TokenPoolConfig.EXPIRY_RUN_DELAY;
import static dev.tokenpool.config.TokenPoolConfig.HISTORY_RETENTION;
import static dev.tokenpool.config.TokenPoolConfig.MISFIRE_THRESHOLD;
import static dev.tokenpool.config.TokenPoolConfig.PRUNE_INTERVAL;
import static dev.tokenpool.config.TokenPoolConfig.RUN_RETENTION;
import static dev.tokenpool.config.TokenPoolConfig.SCHEDULER_ENABLED;
import static dev.tokenpool.config.TokenPoolConfig.SCHEDULER_STOP_WAIT;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

import java.time.Duration;

/**
 * This node's part in the clustered scheduler and the jobs' schedules.
 *
 * @param enabled whether this node runs a member of the clustered scheduler (an API-only node does
 *     not)
 * @param historyRetention how long an ended usage stays in the token history before the prune job
 *     deletes it (the tokens' usage counts keep it)
 * @param checkinInterval how often the node checks in with the cluster; failure detection takes
 *     this plus 7.5 s
 * @param misfireThreshold how late a fire may be before Quartz counts it as misfired
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
    Duration misfireThreshold,
    Duration expiryRunDelay,
    Duration stopWait) {

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
    Duration derivedMisfire =
        shortest(shortest(expiry, prune).dividedBy(2), MAX_DERIVED_MISFIRE_THRESHOLD);
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
        settings.duration(MISFIRE_THRESHOLD, derivedMisfire, ofMillis(100), ofMinutes(10)),
        settings.duration(EXPIRY_RUN_DELAY, Duration.ZERO, Duration.ZERO, ofMinutes(10)),
        settings.duration(
            SCHEDULER_STOP_WAIT, DEFAULT_SCHEDULER_STOP_WAIT, Duration.ZERO, ofMinutes(10)));
  }

  /** The shortest interval of any job: the misfire threshold and Quartz's idle wait follow it. */
  public Duration shortestJobInterval() {
    return shortest(expiryInterval, pruneInterval);
  }

  private static Duration shortest(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
