package dev.tokenpool.api;

import dev.tokenpool.tokens.TokenView;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A token in a listing; holder fields (and the holding's fence) are null while it is available. */
public record TokenResponse(
    UUID tokenId,
    String state,
    String currentUserId,
    Long fence,
    Instant activatedAt,
    Instant expiresAt) {

  static TokenResponse of(TokenView t) {
    return new TokenResponse(
        t.tokenId(),
        t.state().name().toLowerCase(Locale.ROOT),
        t.currentUserId(),
        t.fence(),
        t.activatedAt(),
        t.expiresAt());
  }
}
