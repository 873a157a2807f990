package dev.tokenpool.tokens;

import java.util.Optional;
import java.util.UUID;

/**
 * A release or a renewal named a fence that is not the token's current holding; nothing was
 * changed. {@code end} says how the named holding ended, when it was a holding of this token that
 * has ended.
 */
public final class StaleFenceException extends RuntimeException {

  private final UUID tokenId;
  private final long fence;
  private final transient Optional<HoldingEnd> end;

  public StaleFenceException(UUID tokenId, long fence, Optional<HoldingEnd> end) {
    super(
        end.map(
                e ->
                    "Fence "
                        + fence
                        + " of token "
                        + tokenId
                        + " ended "
                        + e.reason().name().toLowerCase(java.util.Locale.ROOT)
                        + " at "
                        + e.at())
            .orElse("Fence " + fence + " is not the current holding of token " + tokenId));
    this.tokenId = tokenId;
    this.fence = fence;
    this.end = end;
  }

  public UUID tokenId() {
    return tokenId;
  }

  public long fence() {
    return fence;
  }

  public Optional<HoldingEnd> end() {
    return end;
  }
}
