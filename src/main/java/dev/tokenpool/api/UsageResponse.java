package dev.tokenpool.api;

import dev.tokenpool.tokens.UsageView;
import java.time.Instant;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * One holding in a history, newest first; {@code ended_at} and {@code end_reason} null while open.
 * {@code ended_by} names the client that released or cleared it, {@code evicted_by} the fence of
 * the holding that evicted it; {@code pool} the name of the token's pool.
 */
public record UsageResponse(
    long fence,
    String pool,
    UUID tokenId,
    String userId,
    Instant startedAt,
    Instant expiresAt,
    Instant endedAt,
    String endReason,
    int renewals,
    Instant lastRenewedAt,
    String endedBy,
    Long evictedBy) {

  static UsageResponse of(UsageView u, IntFunction<String> poolNames) {
    return new UsageResponse(
        u.fence(),
        poolNames.apply(u.poolId()),
        u.tokenId(),
        u.userId(),
        u.startedAt(),
        u.expiresAt(),
        u.endedAt(),
        u.endReason() == null ? null : u.endReason().name(),
        u.renewals(),
        u.lastRenewedAt(),
        u.endedBy(),
        u.evictedBy());
  }
}
