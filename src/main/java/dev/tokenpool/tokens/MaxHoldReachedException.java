package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/** A renewal cannot extend a holding that already lasts as long as one holding may. */
public final class MaxHoldReachedException extends RuntimeException {

  private final UUID tokenId;
  private final long fence;
  private final transient Instant holdUntil;

  public MaxHoldReachedException(UUID tokenId, long fence, Instant holdUntil) {
    super(
        "Fence "
            + fence
            + " of token "
            + tokenId
            + " already expires at its longest hold, "
            + holdUntil
            + "; activate again for another holding");
    this.tokenId = tokenId;
    this.fence = fence;
    this.holdUntil = holdUntil;
  }

  public UUID tokenId() {
    return tokenId;
  }

  public long fence() {
    return fence;
  }

  public Instant holdUntil() {
    return holdUntil;
  }
}
