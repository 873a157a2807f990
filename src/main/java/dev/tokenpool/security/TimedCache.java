package dev.tokenpool.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What a node read of a credential from the database, trusted for a short time so that a busy
 * client costs no read per request, and forgotten after it so that a revocation on any node is seen
 * here too. Only found values are kept (a flood of made-up credentials fills nothing), and at most
 * {@link #MAX_ENTRIES}: past that the cache starts afresh, which costs reads, never correctness.
 */
public final class TimedCache<K, V> {

  static final int MAX_ENTRIES = 10_000;

  private record Entry<V>(V value, long readAtNanos) {}

  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

  public TimedCache(Duration ttl, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The value of the key, from the cache while it is fresh, else from {@code read}. */
  public Optional<V> get(K key, Function<K, Optional<V>> read) {
    long now = nanoTime.getAsLong();
    Entry<V> cached = entries.get(key);
    if (cached != null && now - cached.readAtNanos() < ttlNanos) {
      return Optional.of(cached.value());
    }
    Optional<V> value = read.apply(key);
    if (value.isEmpty()) {
      entries.remove(key);
      return value;
    }
    put(key, value.get());
    return value;
  }

  /** The value of the key if the cache holds a fresh one; reads nothing. */
  public Optional<V> peek(K key) {
    Entry<V> cached = entries.get(key);
    return cached != null && nanoTime.getAsLong() - cached.readAtNanos() < ttlNanos
        ? Optional.of(cached.value())
        : Optional.empty();
  }

  /** Remembers a value found elsewhere. */
  public void put(K key, V value) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, new Entry<>(value, nanoTime.getAsLong()));
  }

  public void forget(K key) {
    entries.remove(key);
  }

  public void forgetIf(Predicate<V> condition) {
    entries.values().removeIf(entry -> condition.test(entry.value()));
  }
}
