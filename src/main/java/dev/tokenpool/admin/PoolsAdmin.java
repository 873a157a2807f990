package dev.tokenpool.admin;

import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.pools.InvalidPoolException;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.pools.PoolChange;
import dev.tokenpool.pools.PoolConflictException;
import dev.tokenpool.pools.PoolDefinition;
import dev.tokenpool.pools.PoolNotFoundException;
import dev.tokenpool.pools.PoolSpec;
import dev.tokenpool.pools.PoolStatus;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.tokens.OnFull;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link PoolsMXBean}: every change audited as made by {@code jmx}. */
final class PoolsAdmin implements PoolsMXBean {

  private static final String JMX = "jmx";
  private static final int NAMES = 1_000;

  private final PoolCatalogue pools;
  private final PoolSettings defaults;
  private final AuditLog audit;

  PoolsAdmin(PoolCatalogue pools, PoolSettings defaults, AuditLog audit) {
    this.pools = pools;
    this.defaults = defaults;
    this.audit = audit;
  }

  @Override
  public long getPoolCount() {
    return refusals(() -> pools.totals().pools());
  }

  @Override
  public String[] getPoolNames() {
    return refusals(
        () ->
            pools.list("", NAMES).pools().stream()
                .map(pool -> pool.definition().name())
                .toArray(String[]::new));
  }

  @Override
  public String describePool(String name) {
    return refusals(() -> describe(pools.get(name)));
  }

  @Override
  public String createPool(String name, int size) {
    PoolStatus created =
        refusals(() -> pools.create(PoolSpec.of(PoolSpec.requireName(name), size, defaults), JMX));
    audit.record("pool-create", JMX, JMX, "pool", name, "size", size);
    return describe(created);
  }

  @Override
  public String resizePool(String name, int size) {
    PoolStatus resized = refusals(() -> pools.change(name, PoolChange.size(size), JMX));
    audit.record("pool-change", JMX, JMX, "pool", name, "size", size);
    return describe(resized);
  }

  @Override
  public String changePool(
      String name, String leaseDefault, String leaseMax, String maxHold, String onFull) {
    PoolChange change =
        new PoolChange(
            Optional.empty(),
            duration("leaseDefault", leaseDefault),
            duration("leaseMax", leaseMax),
            duration("maxHold", maxHold),
            onFull(onFull));
    PoolStatus changed = refusals(() -> pools.change(name, change, JMX));
    audit.record("pool-change", JMX, JMX, "pool", name);
    return describe(changed);
  }

  @Override
  public int deletePool(String name, boolean drain) {
    int cleared = refusals(() -> pools.delete(name, drain, JMX));
    audit.record("pool-delete", JMX, JMX, "pool", name, "cleared", cleared);
    return cleared;
  }

  static String describe(PoolStatus status) {
    PoolDefinition pool = status.definition();
    return "name="
        + pool.name()
        + " size="
        + pool.size()
        + " tokens="
        + status.counts().size()
        + " active="
        + status.counts().active()
        + " available="
        + status.counts().available()
        + " retiring="
        + status.counts().retiring()
        + " lease_default="
        + pool.leaseDefault()
        + " lease_max="
        + pool.leaseMax()
        + " max_hold="
        + pool.maxHold()
        + " on_full_default="
        + pool.onFullDefault().name().toLowerCase(Locale.ROOT)
        + " set_by="
        + pool.setBy().orElse("settings");
  }

  private static Optional<Duration> duration(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.parse(value.strip()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " '" + value + "' is not an ISO-8601 duration");
    }
  }

  private static Optional<OnFull> onFull(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OnFull.valueOf(value.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("onFull '" + value + "' is not evict, fail or wait");
    }
  }

  /**
   * The pools' refusals as exceptions every JMX client has on its class path, with their reason.
   */
  private static <T> T refusals(Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidPoolException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (PoolConflictException | PoolNotFoundException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }
}
