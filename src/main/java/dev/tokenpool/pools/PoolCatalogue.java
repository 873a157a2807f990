package dev.tokenpool.pools;

import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.tokens.PoolIds;
import dev.tokenpool.tokens.PoolShrinkRefusedException;
import dev.tokenpool.tokens.PoolSizer;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools' lifecycle, for operators (admin API and JMX): create, change (any setting, the size up
 * or down), delete (refused while holders hold tokens, unless drained), read with counts. Every
 * change is written to the pool's row in one transaction that holds the row's lock, then the pool's
 * tokens are brought to its size ({@link PoolSizer}); other nodes see it within {@link
 * PoolDirectory#FRESH}.
 */
public final class PoolCatalogue {

  private static final Logger log = LoggerFactory.getLogger(PoolCatalogue.class);

  private final Transactions transactions;
  private final Clock clock;
  private final PoolSizer sizer;
  private final PoolDirectory directory;
  private final PoolStore store = new PoolStore();

  /** Who a reconciliation's clears are credited to, in the history's {@code ended_by}. */
  private static final String RECONCILER = "reconcile-pools";

  public PoolCatalogue(
      Transactions transactions, Clock clock, PoolSizer sizer, PoolDirectory directory) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sizer = Objects.requireNonNull(sizer, "sizer");
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /**
   * Creates a pool with its tokens.
   *
   * @throws PoolConflictException when a pool has the name already
   */
  public PoolStatus create(PoolSpec spec, String by) {
    Objects.requireNonNull(by, "by");
    int id =
        transactions.retryingOnConnection(
            connection -> {
              if (store.find(connection, spec.name()).isPresent()) {
                throw new PoolConflictException(
                    "A pool named " + spec.name() + " exists already: change it with PATCH");
              }
              return store.insert(connection, spec, by, clock.instant());
            });
    sizer.reconcile(id);
    log.info("Pool {} created by {}: {} tokens", spec.name(), by, spec.size());
    return get(spec.name());
  }

  /**
   * Changes a pool's settings; a new size takes effect at once: growing adds tokens, shrinking
   * retires the free tokens above the size now and the held ones when their holdings end.
   */
  public PoolStatus change(String name, PoolChange change, String by) {
    Objects.requireNonNull(by, "by");
    PoolDefinition changed =
        transactions.retryingOnConnection(
            connection -> {
              PoolDefinition pool =
                  store.lock(connection, name).orElseThrow(() -> new PoolNotFoundException(name));
              PoolSpec spec = change.applyTo(pool);
              store.update(connection, pool.id(), spec, by, clock.instant());
              // A shrink retires in the same commit: no activation takes a token above the new
              // size once it is written.
              sizer.retireAbove(connection, pool.id(), spec.size());
              return store.find(connection, name).orElseThrow();
            });
    directory.changed(changed);
    sizer.reconcile(changed.id());
    log.info(
        "Pool {} changed by {}: size {}, lease {} (at most {}, held at most {}), on full {}",
        name,
        by,
        changed.size(),
        changed.leaseDefault(),
        changed.leaseMax(),
        changed.maxHold(),
        changed.onFullDefault());
    return get(name);
  }

  /**
   * Deletes a pool: its tokens retire and its name is free again; its history stays, readable by
   * token id and per user, until the retention prunes it. A pool with active holdings is refused,
   * unless {@code drain}: then every holding ends as CLEARED.
   *
   * @return the holdings the drain cleared
   */
  public int delete(String name, boolean drain, String by) {
    Objects.requireNonNull(by, "by");
    if (PoolIds.DEFAULT_NAME.equals(name)) {
      throw new PoolConflictException(
          "The default pool serves /api/tokens and is never deleted: shrink it instead");
    }
    PoolDefinition deleted =
        transactions.retryingOnConnection(
            connection -> {
              PoolDefinition pool =
                  store.lock(connection, name).orElseThrow(() -> new PoolNotFoundException(name));
              // Retired first, under their row locks: no activation can take a token after the
              // count below, so the count is final.
              store.retireAll(connection, pool.id());
              long holders = store.activeHoldings(connection, pool.id(), clock.instant());
              if (holders > 0 && !drain) {
                throw new PoolConflictException(
                    "Pool "
                        + name
                        + " has "
                        + holders
                        + " active holding(s): release them, or delete with drain=true to end"
                        + " them as CLEARED");
              }
              store.delete(connection, pool.id(), by, clock.instant());
              return pool;
            });
    directory.deleted(name);
    int cleared = drain ? directory.serviceFor(deleted).clearActive(by) : 0;
    log.info("Pool {} deleted by {} ({} holding(s) cleared)", name, by, cleared);
    return cleared;
  }

  /** A pool with its counts now. */
  public PoolStatus get(String name) {
    PoolHandle pool = directory.resolve(name);
    return new PoolStatus(pool.definition(), pool.tokens().counts());
  }

  /** Up to {@code limit} pools named after {@code after}, in name order, with their counts. */
  public PoolPage list(String after, int limit) {
    return list(after, limit, Set.of());
  }

  /**
   * Up to {@code limit} pools among {@code only} (every pool when empty) named after {@code after},
   * in name order, with their counts, and how many of them there are.
   */
  public PoolPage list(String after, int limit, Set<String> only) {
    record Read(List<PoolDefinition> pools, long total) {}
    Read read =
        transactions.onceOnConnection(
            connection ->
                new Read(
                    store.page(connection, after, limit + 1, only), store.count(connection, only)));
    boolean more = read.pools().size() > limit;
    List<PoolDefinition> shown = more ? read.pools().subList(0, limit) : read.pools();
    List<PoolStatus> statuses =
        shown.stream()
            .map(
                pool -> {
                  return new PoolStatus(pool, directory.serviceFor(pool).counts());
                })
            .toList();
    return new PoolPage(
        statuses,
        more ? Optional.of(shown.get(shown.size() - 1).name()) : Optional.empty(),
        read.total());
  }

  /** Every live pool together, now. */
  public PoolTotals totals() {
    return transactions.onceOnConnection(connection -> store.totals(connection, clock.instant()));
  }

  /**
   * Brings the default pool to the node's settings while no operator has changed it (then the
   * settings are its initial values only, and this node says so). The size grows only: a node
   * configured smaller than the pool refuses to start, as before pools could shrink, so that nodes
   * with different settings never shrink each other's pool; an operator shrinks it with PATCH.
   */
  public void ensureDefault(PoolSettings settings) {
    PoolDefinition pool =
        transactions.retryingOnConnection(
            connection -> {
              PoolDefinition current =
                  store
                      .lock(connection, PoolIds.DEFAULT_NAME)
                      .orElseThrow(() -> new PoolNotFoundException(PoolIds.DEFAULT_NAME));
              if (current.setBy().isPresent()) {
                return current;
              }
              if (current.size() > settings.size()) {
                throw new PoolShrinkRefusedException(current.size(), settings.size());
              }
              store.update(
                  connection,
                  current.id(),
                  PoolSpec.of(PoolIds.DEFAULT_NAME, settings.size(), settings),
                  null,
                  clock.instant());
              return store.find(connection, PoolIds.DEFAULT_NAME).orElseThrow();
            });
    if (pool.setBy().isPresent()) {
      log.info(
          "The default pool was last changed by {} at {}: {} and the lease settings are not"
              + " applied to it (change it with PATCH /api/admin/pools/default)",
          pool.setBy().get(),
          pool.updatedAt(),
          PoolSettings.POOL_SIZE);
    }
    directory.changed(pool);
    sizer.reconcile(pool.id());
  }

  /**
   * Brings every pool whose live tokens differ from its size to it (a resize cut short), and
   * returns how many it brought.
   */
  public int reconcileAll() {
    List<Integer> unreconciled = transactions.onceOnConnection(store::unreconciled);
    for (Integer poolId : unreconciled) {
      sizer.reconcile(poolId);
    }
    // A drain cut short (its node died between the delete and the clear): its holdings end now.
    List<Integer> undrained = transactions.onceOnConnection(store::deletedWithHoldings);
    for (Integer poolId : undrained) {
      transactions
          .onceOnConnection(connection -> store.byId(connection, poolId))
          .ifPresent(pool -> directory.serviceFor(pool).clearActive(RECONCILER));
    }
    return unreconciled.size() + undrained.size();
  }
}
