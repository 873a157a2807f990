package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.Optional;

/**
 * No token was free and the activation would not evict anyone; nothing was changed. {@code
 * soonestExpiry} is when the first holding ends on its own, if known.
 */
public final class PoolFullException extends RuntimeException {

  private final transient Optional<Instant> soonestExpiry;

  public PoolFullException(Optional<Instant> soonestExpiry) {
    super("Every token of the pool is held");
    this.soonestExpiry = soonestExpiry;
  }

  public Optional<Instant> soonestExpiry() {
    return soonestExpiry;
  }
}
