package dev.tokenpool.tokens;

import java.util.UUID;

/** The token has no active usage to end. */
public final class TokenNotActiveException extends RuntimeException {

  private final UUID tokenId;

  public TokenNotActiveException(UUID tokenId) {
    super("Token " + tokenId + " is not active");
    this.tokenId = tokenId;
  }

  public UUID tokenId() {
    return tokenId;
  }
}
