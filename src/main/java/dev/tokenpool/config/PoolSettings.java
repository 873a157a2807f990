package dev.tokenpool.config;

import java.time.Duration;

/**
 * The token pool and the requests it serves.
 *
 * @param size how many tokens the pool holds
 * @param tokenLifetime the lease an activation gets when it asks for none
 * @param requestDeadline how long a request may keep retrying transient conflicts (locks held by
 *     others, deadlocks, unique-key races) before it is answered 503
 * @param leaseMin the shortest lease an activation or a renewal may ask for
 * @param leaseMax the longest lease an activation or a renewal may ask for
 * @param maxHold how long one holding may last from its activation, renewals included
 * @param maxWait the longest an activation with {@code on_full: wait} may wait for a token
 * @param eventRetention how long events of holdings are kept for streams that resume
 * @param metricsPools how many pools (the first in name order) get series of their own in {@code
 *     /metrics}; every pool counts in the totals
 */
public record PoolSettings(
    int size,
    Duration tokenLifetime,
    Duration requestDeadline,
    Duration leaseMin,
    Duration leaseMax,
    Duration maxHold,
    Duration maxWait,
    Duration eventRetention,
    int metricsPools) {

  // The settings of this concern: their names, then their defaults.
  public static final String POOL_SIZE = "TOKENPOOL_POOL_SIZE";
  public static final String TOKEN_LIFETIME = "TOKENPOOL_TOKEN_LIFETIME";
  public static final String LEASE_MIN = "TOKENPOOL_LEASE_MIN";
  public static final String LEASE_MAX = "TOKENPOOL_LEASE_MAX";
  public static final String MAX_HOLD = "TOKENPOOL_MAX_HOLD";
  public static final String MAX_WAIT = "TOKENPOOL_MAX_WAIT";
  public static final String EVENT_RETENTION = "TOKENPOOL_EVENT_RETENTION";
  public static final String REQUEST_DEADLINE = "TOKENPOOL_REQUEST_DEADLINE";
  public static final String METRICS_POOLS = "TOKENPOOL_METRICS_POOLS";
  public static final int DEFAULT_METRICS_POOLS = 100;
  public static final int DEFAULT_POOL_SIZE = 100;
  public static final int MAX_POOL_SIZE = 1_000_000;
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(2);
  public static final Duration DEFAULT_LEASE_MIN = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofHours(1);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofMinutes(15);
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);

  /** The default longest lease, in lifetimes: a lease of 20 minutes with the default lifetime. */
  public static final int DEFAULT_LEASE_MAX_LIFETIMES = 10;

  /** The settings of a pool whose leases are all of one lifetime, as before issue 18. */
  public static PoolSettings of(int size, Duration tokenLifetime, Duration requestDeadline) {
    Duration leaseMax = tokenLifetime.multipliedBy(DEFAULT_LEASE_MAX_LIFETIMES);
    return new PoolSettings(
        size,
        tokenLifetime,
        requestDeadline,
        min(DEFAULT_LEASE_MIN, tokenLifetime),
        leaseMax,
        max(DEFAULT_MAX_HOLD, leaseMax),
        DEFAULT_MAX_WAIT,
        DEFAULT_EVENT_RETENTION,
        DEFAULT_METRICS_POOLS);
  }

  static PoolSettings from(Settings settings) {
    Duration lifetime =
        settings.duration(
            TOKEN_LIFETIME, DEFAULT_TOKEN_LIFETIME, Duration.ofSeconds(1), Duration.ofDays(1));
    PoolSettings defaults =
        of(
            settings.integer(POOL_SIZE, DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE),
            lifetime,
            settings.duration(
                REQUEST_DEADLINE,
                DEFAULT_REQUEST_DEADLINE,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1)));
    Duration leaseMin =
        settings.duration(LEASE_MIN, defaults.leaseMin(), Duration.ofSeconds(1), lifetime);
    Duration leaseMax =
        settings.duration(LEASE_MAX, defaults.leaseMax(), lifetime, Duration.ofDays(10));
    Duration maxHold =
        settings.duration(
            MAX_HOLD, max(defaults.maxHold(), leaseMax), leaseMax, Duration.ofDays(30));
    // A wait holds no thread and no connection, but its client's connection stays open: minutes
    // at most, below every balancer's usual idle timeout.
    Duration maxWait =
        settings.duration(MAX_WAIT, DEFAULT_MAX_WAIT, Duration.ofSeconds(1), Duration.ofMinutes(5));
    // At least ten minutes: a stream that reconnects within them misses nothing.
    Duration eventRetention =
        settings.duration(
            EVENT_RETENTION, DEFAULT_EVENT_RETENTION, Duration.ofMinutes(10), Duration.ofDays(7));
    return new PoolSettings(
        defaults.size(),
        lifetime,
        defaults.requestDeadline(),
        leaseMin,
        leaseMax,
        maxHold,
        maxWait,
        eventRetention,
        // Series per pool and state: a few thousand at most, whatever the number of pools.
        settings.integer(METRICS_POOLS, DEFAULT_METRICS_POOLS, 0, 1_000));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
