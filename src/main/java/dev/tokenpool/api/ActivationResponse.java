package dev.tokenpool.api;

import dev.tokenpool.tokens.Activation;
import java.time.Instant;
import java.util.UUID;

/**
 * The token a user now holds, and the holding's {@code fence}; {@code hold_until} is the latest
 * renewals can take it. {@code evicted_user_id} is null unless someone made room.
 */
public record ActivationResponse(
    UUID tokenId,
    String userId,
    long fence,
    Instant activatedAt,
    Instant expiresAt,
    Instant holdUntil,
    String evictedUserId) {

  /** The same activation without the evicted user's id, for a client that may not see it. */
  ActivationResponse withoutEvictedUser() {
    return new ActivationResponse(tokenId, userId, fence, activatedAt, expiresAt, holdUntil, null);
  }

  static ActivationResponse of(Activation a) {
    return new ActivationResponse(
        a.tokenId(),
        a.userId(),
        a.fence(),
        a.activatedAt(),
        a.expiresAt(),
        a.holdUntil(),
        a.evictedUserId());
  }
}
