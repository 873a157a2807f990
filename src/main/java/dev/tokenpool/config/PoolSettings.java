package dev.tokenpool.config;

import java.time.Duration;

/**
 * The token pool and the requests it serves.
 *
 * @param size how many tokens the pool holds
 * @param tokenLifetime how long a usage holds its token at most
 * @param requestDeadline how long a request may keep retrying transient conflicts (locks held by
 *     others, deadlocks, unique-key races) before it is answered 503
 */
public record PoolSettings(int size, Duration tokenLifetime, Duration requestDeadline) {

  static PoolSettings from(Settings settings) {
    return new PoolSettings(
        settings.integer(
            TokenPoolConfig.POOL_SIZE,
            TokenPoolConfig.DEFAULT_POOL_SIZE,
            1,
            TokenPoolConfig.MAX_POOL_SIZE),
        settings.duration(
            TokenPoolConfig.TOKEN_LIFETIME,
            TokenPoolConfig.DEFAULT_TOKEN_LIFETIME,
            Duration.ofSeconds(1),
            Duration.ofDays(1)),
        settings.duration(
            TokenPoolConfig.REQUEST_DEADLINE,
            TokenPoolConfig.DEFAULT_REQUEST_DEADLINE,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1)));
  }
}
