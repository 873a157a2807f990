package dev.tokenpool.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * No token was free and the activation would not evict anyone; nothing was changed. {@code
 * soonestExpiry} is when the first holding ends on its own, if known, and {@code retryAfter} how
 * long that is from the moment of the refusal, by the clock that decided it.
 */
public final class PoolFullException extends RuntimeException {

  private final transient Optional<Instant> soonestExpiry;
  private final transient Duration retryAfter;

  public PoolFullException(Optional<Instant> soonestExpiry, Instant now) {
    this("Every token of the pool is held", soonestExpiry, now);
  }

  /** A waiter that no token reached within its wait. */
  static PoolFullException afterWait(Duration wait, Optional<Instant> soonestExpiry, Instant now) {
    return new PoolFullException(
        "No token became free for this request within its wait of " + wait, soonestExpiry, now);
  }

  private PoolFullException(String message, Optional<Instant> soonestExpiry, Instant now) {
    super(message);
    this.soonestExpiry = soonestExpiry;
    this.retryAfter =
        soonestExpiry
            .map(at -> Duration.between(now, at))
            .filter(d -> !d.isNegative())
            .orElse(Duration.ZERO);
  }

  public Optional<Instant> soonestExpiry() {
    return soonestExpiry;
  }

  /** How long until the soonest holding ends, from the refusal; zero when unknown. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
