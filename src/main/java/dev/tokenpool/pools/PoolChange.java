package dev.tokenpool.pools;

import dev.tokenpool.tokens.OnFull;
import java.time.Duration;
import java.util.Optional;

/** What a change of a pool sets; what it leaves empty stays as it is. */
public record PoolChange(
    Optional<Integer> size,
    Optional<Duration> leaseDefault,
    Optional<Duration> leaseMax,
    Optional<Duration> maxHold,
    Optional<OnFull> onFullDefault) {

  /** Only the size. */
  public static PoolChange size(int size) {
    return new PoolChange(
        Optional.of(size), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The pool as this change makes it, validated. */
  PoolSpec applyTo(PoolDefinition pool) {
    return new PoolSpec(
        pool.name(),
        size.orElse(pool.size()),
        leaseDefault.orElse(pool.leaseDefault()),
        leaseMax.orElse(pool.leaseMax()),
        maxHold.orElse(pool.maxHold()),
        onFullDefault.orElse(pool.onFullDefault()));
  }
}
