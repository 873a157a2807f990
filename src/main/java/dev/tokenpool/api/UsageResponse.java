package dev.tokenpool.api;

import dev.tokenpool.tokens.UsageView;
import java.time.Instant;
import java.util.UUID;

/**
 * One holding in a history, newest first; {@code ended_at} and {@code end_reason} null while open.
 * {@code ended_by} names the client that released or cleared it, {@code evicted_by} the fence of
 * the holding that evicted it.
 */
public record UsageResponse(
    long fence,
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

  static UsageResponse of(UsageView u) {
    return new UsageResponse(
        u.fence(),
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
