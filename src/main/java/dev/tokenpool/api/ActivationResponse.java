package dev.tokenpool.api;

import dev.tokenpool.tokens.Activation;
import java.time.Instant;
import java.util.UUID;

/** The token a user now holds; {@code evicted_user_id} is null unless someone made room. */
public record ActivationResponse(
    UUID tokenId, String userId, Instant activatedAt, Instant expiresAt, String evictedUserId) {

  /** The same activation without the evicted user's id, for a client that may not see it. */
  ActivationResponse withoutEvictedUser() {
    return new ActivationResponse(tokenId, userId, activatedAt, expiresAt, null);
  }

  static ActivationResponse of(Activation a) {
    return new ActivationResponse(
        a.tokenId(), a.userId(), a.activatedAt(), a.expiresAt(), a.evictedUserId());
  }
}
