package dev.tokenpool.pools;

import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.tokens.OnFull;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an operator asks a pool to be, validated like the settings of the default pool: a name of 1
 * to 64 of {@code a-z 0-9 - _}, a size of 0 to {@value PoolSettings#MAX_POOL_SIZE}, and leases with
 * {@code 0 < lease_default <= lease_max <= max_hold}.
 */
public record PoolSpec(
    String name,
    int size,
    Duration leaseDefault,
    Duration leaseMax,
    Duration maxHold,
    OnFull onFullDefault) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

  /** The longest lease and hold a pool may give, as for the default pool's settings. */
  static final Duration LONGEST_LEASE = Duration.ofDays(10);

  static final Duration LONGEST_HOLD = Duration.ofDays(30);

  public PoolSpec {
    Objects.requireNonNull(onFullDefault, "onFullDefault");
    requireName(name);
    if (size < 0 || size > PoolSettings.MAX_POOL_SIZE) {
      throw new InvalidPoolException(
          "size", "must lie within 0 and " + PoolSettings.MAX_POOL_SIZE + ", not " + size);
    }
    requireWithin("lease_default", leaseDefault, Duration.ofSeconds(1), LONGEST_LEASE);
    requireWithin("lease_max", leaseMax, leaseDefault, LONGEST_LEASE);
    requireWithin("max_hold", maxHold, leaseMax, LONGEST_HOLD);
  }

  /** Whether a pool may have this name. */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The name, if it is one a pool may have. */
  public static String requireName(String name) {
    if (!isName(name)) {
      throw new InvalidPoolException(
          "name", "must be 1 to 64 characters of a-z, 0-9, - and _, not " + quoted(name));
    }
    return name;
  }

  private static void requireWithin(String field, Duration value, Duration min, Duration max) {
    if (value == null) {
      throw new InvalidPoolException(field, "is required");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidPoolException(field, "must lie within " + min + " and " + max);
    }
  }

  private static String quoted(String name) {
    if (name == null) {
      return "none";
    }
    String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return "\"" + shown + "\"";
  }

  /** A pool with this name and size and the leases and full-pool behaviour of the settings. */
  public static PoolSpec of(String name, int size, PoolSettings settings) {
    return new PoolSpec(
        name,
        size,
        settings.tokenLifetime(),
        settings.leaseMax(),
        settings.maxHold(),
        OnFull.EVICT);
  }
}
