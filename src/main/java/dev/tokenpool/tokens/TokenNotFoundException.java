package dev.tokenpool.tokens;

import java.util.UUID;

/** No token of the pool has this id. */
public final class TokenNotFoundException extends RuntimeException {

  private final UUID tokenId;

  public TokenNotFoundException(UUID tokenId) {
    super("Token " + tokenId + " does not exist");
    this.tokenId = tokenId;
  }

  public UUID tokenId() {
    return tokenId;
  }
}
