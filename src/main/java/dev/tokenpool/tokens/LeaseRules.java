package dev.tokenpool.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How long holdings last: the lease an activation gets when it asks for none, the range a client
 * may ask for, and how long one holding may last from its activation, renewals included.
 */
public record LeaseRules(
    Duration defaultLease, Duration leaseMin, Duration leaseMax, Duration maxHold) {

  public LeaseRules {
    Objects.requireNonNull(defaultLease, "defaultLease");
    Objects.requireNonNull(leaseMin, "leaseMin");
    Objects.requireNonNull(leaseMax, "leaseMax");
    Objects.requireNonNull(maxHold, "maxHold");
    if (defaultLease.isNegative() || defaultLease.isZero()) {
      throw new IllegalArgumentException("the default lease must be positive, was " + defaultLease);
    }
    if (leaseMin.isNegative()
        || leaseMin.isZero()
        || leaseMin.compareTo(defaultLease) > 0
        || defaultLease.compareTo(leaseMax) > 0
        || leaseMax.compareTo(maxHold) > 0) {
      throw new IllegalArgumentException(
          "leases need 0 < min <= default <= max <= max hold, not "
              + leaseMin
              + ", "
              + defaultLease
              + ", "
              + leaseMax
              + ", "
              + maxHold);
    }
  }

  /** One lease for every holding, with no renewal beyond it, as before leases could vary. */
  public static LeaseRules fixed(Duration lease) {
    return new LeaseRules(lease, lease, lease, lease);
  }

  /** The lease asked for, or the default; refused outside the range. */
  Duration lease(Optional<Duration> asked) {
    Duration lease = asked.orElse(defaultLease);
    if (lease.compareTo(leaseMin) < 0 || lease.compareTo(leaseMax) > 0) {
      throw new LeaseOutOfRangeException(lease, leaseMin, leaseMax);
    }
    return lease;
  }

  /** The latest a holding activated at {@code activatedAt} may last. */
  Instant holdUntil(Instant activatedAt) {
    return activatedAt.plus(maxHold);
  }
}
