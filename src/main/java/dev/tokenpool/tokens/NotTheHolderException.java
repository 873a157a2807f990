package dev.tokenpool.tokens;

import java.util.UUID;

/** A holder tried to release a token that another user holds; nothing was changed. */
public final class NotTheHolderException extends RuntimeException {

  private final UUID tokenId;

  public NotTheHolderException(UUID tokenId) {
    super("Token " + tokenId + " is not held by you");
    this.tokenId = tokenId;
  }

  public UUID tokenId() {
    return tokenId;
  }
}
