package dev.tokenpool.config;

import java.time.Duration;

/**
 * This node's part in the clustered scheduler and the jobs' schedules.
 *
 * @param enabled whether this node runs a member of the clustered scheduler (an API-only node does
 *     not)
 * @param checkinInterval how often the node checks in with the cluster; failure detection takes
 *     this plus 7.5 s
 * @param misfireThreshold how late a fire may be before Quartz counts it as misfired
 * @param expiryRunDelay for failure drills only: how long each expiry run waits after recording its
 *     start and before ending anything, so a test can kill or freeze the node mid-run
 */
public record SchedulerSettings(
    boolean enabled,
    Duration expiryInterval,
    Duration pruneInterval,
    Duration runRetention,
    Duration checkinInterval,
    Duration misfireThreshold,
    Duration expiryRunDelay) {

  /** Upper bound of the derived misfire threshold (half the shortest job interval). */
  public static final Duration MAX_DERIVED_MISFIRE_THRESHOLD = Duration.ofSeconds(10);

  static SchedulerSettings from(Settings settings) {
    Duration expiryInterval =
        settings.duration(
            TokenPoolConfig.EXPIRY_INTERVAL,
            TokenPoolConfig.DEFAULT_EXPIRY_INTERVAL,
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    Duration pruneInterval =
        settings.duration(
            TokenPoolConfig.PRUNE_INTERVAL,
            TokenPoolConfig.DEFAULT_PRUNE_INTERVAL,
            Duration.ofSeconds(1),
            Duration.ofDays(1));
    Duration halfShortest = shortest(expiryInterval, pruneInterval).dividedBy(2);
    return new SchedulerSettings(
        settings.bool(TokenPoolConfig.SCHEDULER_ENABLED, true),
        expiryInterval,
        pruneInterval,
        settings.duration(
            TokenPoolConfig.RUN_RETENTION,
            TokenPoolConfig.DEFAULT_RUN_RETENTION,
            Duration.ofMinutes(1),
            Duration.ofDays(3650)),
        settings.duration(
            TokenPoolConfig.CLUSTER_CHECKIN_INTERVAL,
            TokenPoolConfig.DEFAULT_CLUSTER_CHECKIN_INTERVAL,
            Duration.ofMillis(500),
            Duration.ofMinutes(5)),
        settings.duration(
            TokenPoolConfig.MISFIRE_THRESHOLD,
            shortest(halfShortest, MAX_DERIVED_MISFIRE_THRESHOLD),
            Duration.ofMillis(100),
            Duration.ofMinutes(10)),
        settings.duration(
            TokenPoolConfig.EXPIRY_RUN_DELAY,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofMinutes(10)));
  }

  /** The shortest interval of any job: the misfire threshold and Quartz's idle wait follow it. */
  public Duration shortestJobInterval() {
    return shortest(expiryInterval, pruneInterval);
  }

  private static Duration shortest(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
