package dev.tokenpool.pools;

import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.tokens.PoolIds;
import dev.tokenpool.tokens.TokenEvents;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.TokenSpans;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * This node's view of the pools: a {@link TokenService} per pool, by name. A pool's row is read
 * again when the view of it is older than {@link #FRESH}, so a change made on any node (a new pool,
 * other leases, a deletion) is in force on every node within that time, at one indexed read per
 * pool and node every {@link #FRESH}. A pool's service is kept while its rules stay the same, so
 * its count of activations in flight carries over.
 */
public final class PoolDirectory {

  /** How old this node's view of a pool may be before it reads the pool's row again. */
  public static final Duration FRESH = Duration.ofSeconds(2);

  private final Transactions transactions;
  private final Clock clock;
  private final Duration leaseMin;
  private final TokenEvents events;
  private final Function<String, TokenSpans> spans;
  private final LongSupplier nanoTime;
  private final PoolStore store = new PoolStore();
  private final Map<String, Entry> pools = new ConcurrentHashMap<>();
  private final Map<Integer, String> names = new ConcurrentHashMap<>();

  private record Entry(PoolHandle handle, long readAtNanos) {}

  public PoolDirectory(
      Transactions transactions,
      Clock clock,
      Duration leaseMin,
      TokenEvents events,
      LongSupplier nanoTime) {
    this(transactions, clock, leaseMin, events, pool -> TokenSpans.NONE, nanoTime);
  }

  /** With each pool's units of work marked for a tracer: {@code spans} by pool name. */
  public PoolDirectory(
      Transactions transactions,
      Clock clock,
      Duration leaseMin,
      TokenEvents events,
      Function<String, TokenSpans> spans,
      LongSupplier nanoTime) {
    this.spans = Objects.requireNonNull(spans, "spans");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leaseMin = Objects.requireNonNull(leaseMin, "leaseMin");
    this.events = Objects.requireNonNull(events, "events");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The pool named so (the default pool for null), as fresh as {@link #FRESH}. */
  public PoolHandle resolve(String name) {
    String pool = name == null ? PoolIds.DEFAULT_NAME : name;
    Entry entry = pools.get(pool);
    long now = nanoTime.getAsLong();
    if (entry != null && now - entry.readAtNanos() < FRESH.toNanos()) {
      return entry.handle();
    }
    return reread(pool, entry, now);
  }

  /** The default pool, which every deployment has. */
  public PoolHandle defaultPool() {
    return resolve(PoolIds.DEFAULT_NAME);
  }

  /** The name of the pool with this id, deleted pools included; the id itself if unknown. */
  public String nameOf(int poolId) {
    String known = names.get(poolId);
    if (known != null) {
      return known;
    }
    Optional<String> read = transactions.onceOnConnection(c -> store.nameOf(c, poolId));
    read.ifPresent(name -> names.put(poolId, name));
    return read.orElse(String.valueOf(poolId));
  }

  /** Takes a definition this node just wrote, without waiting for {@link #FRESH}. */
  void changed(PoolDefinition definition) {
    Entry entry = pools.get(definition.name());
    install(definition, entry, nanoTime.getAsLong());
  }

  /** Forgets a pool this node just deleted. */
  void deleted(String name) {
    pools.remove(name);
  }

  /** A new service for the pool so defined, reporting to this node's metrics. */
  TokenService serviceFor(PoolDefinition definition) {
    return new TokenService(
        transactions,
        clock,
        definition.id(),
        definition.leaseRules(leaseMin),
        events,
        spans.apply(definition.name()));
  }

  private PoolHandle reread(String name, Entry previous, long now) {
    if (!PoolSpec.isName(name)) {
      throw new PoolNotFoundException(name);
    }
    Optional<PoolDefinition> read = transactions.onceOnConnection(c -> store.find(c, name));
    if (read.isEmpty()) {
      pools.remove(name);
      throw new PoolNotFoundException(name);
    }
    return install(read.get(), previous, now);
  }

  private PoolHandle install(PoolDefinition definition, Entry previous, long now) {
    names.put(definition.id(), definition.name());
    TokenService tokens =
        previous != null
                && previous.handle().definition().id() == definition.id()
                && previous.handle().definition().sameRules(definition)
            ? previous.handle().tokens()
            : serviceFor(definition);
    PoolHandle handle = new PoolHandle(definition, tokens);
    pools.put(definition.name(), new Entry(handle, now));
    return handle;
  }
}
