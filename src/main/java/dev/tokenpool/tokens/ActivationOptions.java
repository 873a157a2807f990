package dev.tokenpool.tokens;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an activation asks for besides its user: a lease (the pool's default when empty), what to do
 * when the pool is full, and with {@link OnFull#WAIT} how long to wait (the longest the pool allows
 * when empty).
 */
public record ActivationOptions(
    Optional<Duration> lease, OnFull onFull, Optional<Duration> waitFor) {

  public static final ActivationOptions DEFAULT =
      new ActivationOptions(Optional.empty(), OnFull.EVICT);

  public ActivationOptions {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(onFull, "onFull");
    Objects.requireNonNull(waitFor, "waitFor");
  }

  public ActivationOptions(Optional<Duration> lease, OnFull onFull) {
    this(lease, onFull, Optional.empty());
  }
}
