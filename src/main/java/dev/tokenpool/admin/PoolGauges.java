package dev.tokenpool.admin;

import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.pools.PoolPage;
import dev.tokenpool.pools.PoolStatus;
import dev.tokenpool.pools.PoolTotals;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Every pool's numbers in {@code /metrics}, with a bounded number of series: the first {@code
 * limit} pools in name order get series of their own ({@code tokenpool_pool_tokens{pool, state}},
 * {@code tokenpool_pool_size{pool}}); every pool together is in {@code tokenpool_pools} and {@code
 * tokenpool_pools_tokens{state}}, so nothing is lost beyond the limit, only its detail. Read at
 * most once every {@link #REFRESH}, at a scrape, however often Prometheus scrapes.
 */
final class PoolGauges {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final PoolCatalogue pools;
  private final int limit;
  private final LongSupplier nanoTime;
  private final MultiGauge tokens;
  private final MultiGauge sizes;
  private final AtomicReference<PoolTotals> totals = new AtomicReference<>(PoolTotals.NONE);
  private long readAt;
  private boolean read;

  PoolGauges(MeterRegistry registry, PoolCatalogue pools, int limit, LongSupplier nanoTime) {
    this.pools = pools;
    this.limit = limit;
    this.nanoTime = nanoTime;
    this.tokens =
        MultiGauge.builder("tokenpool.pool.tokens")
            .description("A pool's tokens by state (the first pools in name order, up to a limit)")
            .register(registry);
    this.sizes =
        MultiGauge.builder("tokenpool.pool.size")
            .description("A pool's configured size (the first pools in name order)")
            .register(registry);
    Gauge.builder("tokenpool.pools", totals, t -> t.get().pools())
        .description("Pools, every one")
        .strongReference(true)
        .register(registry);
    for (String state : List.of("active", "size")) {
      Gauge.builder(
              "tokenpool.pools.tokens",
              totals,
              t -> state.equals("active") ? t.get().active() : t.get().size())
          .description("Tokens of every pool: active holdings, and the sizes' sum")
          .tag("state", state)
          .strongReference(true)
          .register(registry);
    }
  }

  /** Reads the pools again if the last read is older than {@link #REFRESH}. */
  synchronized void refresh() {
    long now = nanoTime.getAsLong();
    if (read && now - readAt < REFRESH.toNanos()) {
      return;
    }
    readAt = now;
    read = true;
    totals.set(pools.totals());
    List<MultiGauge.Row<?>> tokenRows = new ArrayList<>();
    List<MultiGauge.Row<?>> sizeRows = new ArrayList<>();
    if (limit > 0) {
      PoolPage page = pools.list("", limit);
      for (PoolStatus pool : page.pools()) {
        String name = pool.definition().name();
        tokenRows.add(row(name, "active", pool.counts().active()));
        tokenRows.add(row(name, "available", pool.counts().available()));
        tokenRows.add(row(name, "retiring", pool.counts().retiring()));
        sizeRows.add(MultiGauge.Row.of(Tags.of("pool", name), (Number) pool.definition().size()));
      }
    }
    tokens.register(tokenRows, true);
    sizes.register(sizeRows, true);
  }

  private static MultiGauge.Row<?> row(String pool, String state, long value) {
    return MultiGauge.Row.of(Tags.of("pool", pool, "state", state), (Number) value);
  }
}
