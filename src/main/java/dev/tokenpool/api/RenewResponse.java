package dev.tokenpool.api;

import dev.tokenpool.tokens.Renewal;
import java.time.Instant;
import java.util.UUID;

/**
 * A renewed holding: its new expiry, how often it has been renewed, and the latest it may last;
 * {@code capped} when the lease asked for would have passed {@code hold_until}.
 */
public record RenewResponse(
    UUID tokenId,
    String userId,
    long fence,
    Instant activatedAt,
    Instant expiresAt,
    int renewals,
    Instant holdUntil,
    boolean capped) {

  static RenewResponse of(Renewal r) {
    return new RenewResponse(
        r.tokenId(),
        r.userId(),
        r.fence(),
        r.activatedAt(),
        r.expiresAt(),
        r.renewals(),
        r.holdUntil(),
        r.capped());
  }
}
