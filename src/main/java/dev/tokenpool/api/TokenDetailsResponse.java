package dev.tokenpool.api;

import dev.tokenpool.tokens.TokenDetails;
import java.time.Instant;
import java.util.UUID;

/** One token, its current holding's fence, and how many usages it has had. */
public record TokenDetailsResponse(
    UUID tokenId,
    String state,
    String currentUserId,
    Long fence,
    Instant activatedAt,
    Instant expiresAt,
    long usageCount) {

  /** The same token without its holder's id and fence, for a client that may not see them. */
  TokenDetailsResponse withoutHolder() {
    return new TokenDetailsResponse(tokenId, state, null, null, activatedAt, expiresAt, usageCount);
  }

  static TokenDetailsResponse of(TokenDetails details) {
    TokenResponse t = TokenResponse.of(details.token());
    return new TokenDetailsResponse(
        t.tokenId(),
        t.state(),
        t.currentUserId(),
        t.fence(),
        t.activatedAt(),
        t.expiresAt(),
        details.usageCount());
  }
}
