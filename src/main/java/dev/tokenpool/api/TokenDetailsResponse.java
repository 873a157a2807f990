package dev.tokenpool.api;

import dev.tokenpool.tokens.TokenDetails;
import java.time.Instant;
import java.util.UUID;

/** One token and how many usages it has had. */
public record TokenDetailsResponse(
    UUID tokenId,
    String state,
    UUID currentUserId,
    Instant activatedAt,
    Instant expiresAt,
    long usageCount) {

  static TokenDetailsResponse of(TokenDetails details) {
    TokenResponse t = TokenResponse.of(details.token());
    return new TokenDetailsResponse(
        t.tokenId(),
        t.state(),
        t.currentUserId(),
        t.activatedAt(),
        t.expiresAt(),
        details.usageCount());
  }
}
