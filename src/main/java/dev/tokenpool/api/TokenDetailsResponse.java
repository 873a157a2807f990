package dev.tokenpool.api;

import dev.tokenpool.tokens.TokenDetails;
import java.time.Instant;
import java.util.UUID;

/** One token and how many usages it has had. */
public record TokenDetailsResponse(
    UUID tokenId,
    String state,
    String currentUserId,
    Instant activatedAt,
    Instant expiresAt,
    long usageCount) {

  /** The same token without its holder's id, for a client that may not see it. */
  TokenDetailsResponse withoutHolder() {
    return new TokenDetailsResponse(tokenId, state, null, activatedAt, expiresAt, usageCount);
  }

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
