package dev.tokenpool.tokens;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an activation asks for besides its user: a lease (the pool's default when empty) and what to
 * do when the pool is full.
 */
public record ActivationOptions(Optional<Duration> lease, OnFull onFull) {

  public static final ActivationOptions DEFAULT =
      new ActivationOptions(Optional.empty(), OnFull.EVICT);

  public ActivationOptions {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(onFull, "onFull");
  }
}
