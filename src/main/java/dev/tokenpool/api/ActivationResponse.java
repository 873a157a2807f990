package dev.tokenpool.api;

import dev.tokenpool.tokens.Activation;
import java.time.Instant;
import java.util.UUID;

/** The token a user now holds; {@code evicted_user_id} is null unless someone made room. */
public record ActivationResponse(
    UUID tokenId, UUID userId, Instant activatedAt, Instant expiresAt, UUID evictedUserId) {

  static ActivationResponse of(Activation a) {
    return new ActivationResponse(
        a.tokenId(), a.userId(), a.activatedAt(), a.expiresAt(), a.evictedUserId());
  }
}
