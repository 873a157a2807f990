package dev.tokenpool.api;

import dev.tokenpool.tokens.ReleasedUsage;
import java.time.Instant;
import java.util.UUID;

/** The usage a release ended. */
public record ReleaseResponse(
    UUID tokenId,
    String userId,
    long fence,
    Instant startedAt,
    Instant expiresAt,
    Instant endedAt,
    String endReason) {

  static ReleaseResponse of(ReleasedUsage u) {
    return new ReleaseResponse(
        u.tokenId(),
        u.userId(),
        u.fence(),
        u.startedAt(),
        u.expiresAt(),
        u.endedAt(),
        u.endReason().name());
  }
}
