package dev.tokenpool.pools;

import dev.tokenpool.tokens.LeaseRules;
import dev.tokenpool.tokens.OnFull;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A pool as its row defines it.
 *
 * @param setBy who last changed it over the admin API or JMX; empty while the node's settings
 *     decide (the default pool, until an operator changes it)
 */
public record PoolDefinition(
    int id,
    String name,
    int size,
    Duration leaseDefault,
    Duration leaseMax,
    Duration maxHold,
    OnFull onFullDefault,
    Optional<String> setBy,
    Instant createdAt,
    Instant updatedAt) {

  /** The pool's lease rules, with the shortest lease of the node's settings (or the default's). */
  public LeaseRules leaseRules(Duration leaseMin) {
    Duration min = leaseMin.compareTo(leaseDefault) <= 0 ? leaseMin : leaseDefault;
    return new LeaseRules(leaseDefault, min, leaseMax, maxHold);
  }

  /** Whether a change of this definition changes what activations and renewals do. */
  boolean sameRules(PoolDefinition other) {
    return other.leaseDefault.equals(leaseDefault)
        && other.leaseMax.equals(leaseMax)
        && other.maxHold.equals(maxHold)
        && other.onFullDefault == onFullDefault;
  }
}
