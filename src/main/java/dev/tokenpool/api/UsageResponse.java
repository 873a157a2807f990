package dev.tokenpool.api;

import dev.tokenpool.tokens.UsageView;
import java.time.Instant;

/** One usage in a token's history; {@code ended_at} and {@code end_reason} null while open. */
public record UsageResponse(
    String userId, Instant startedAt, Instant expiresAt, Instant endedAt, String endReason) {

  static UsageResponse of(UsageView u) {
    return new UsageResponse(
        u.userId(),
        u.startedAt(),
        u.expiresAt(),
        u.endedAt(),
        u.endReason() == null ? null : u.endReason().name());
  }
}
