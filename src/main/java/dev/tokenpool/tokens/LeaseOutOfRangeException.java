package dev.tokenpool.tokens;

import java.time.Duration;

/** A lease asked for lies outside the pool's range; nothing was changed. */
public final class LeaseOutOfRangeException extends RuntimeException {

  public LeaseOutOfRangeException(Duration asked, Duration min, Duration max) {
    super("lease " + asked + " must lie between " + min + " and " + max);
  }
}
