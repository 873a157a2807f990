package dev.tokenpool.api;

import dev.tokenpool.pools.PoolDefinition;
import dev.tokenpool.pools.PoolStatus;
import java.time.Instant;
import java.util.Locale;

/**
 * A pool as {@code /api/admin/pools} shows it: its settings, and its counts now. {@code tokens} is
 * the number of its live tokens (the size once a resize is done); {@code retiring} the tokens above
 * a shrunk size still held, which retire when their holdings end.
 */
public record NamedPoolResponse(
    String name,
    int size,
    String leaseDefault,
    String leaseMax,
    String maxHold,
    String onFullDefault,
    long tokens,
    long active,
    long available,
    long retiring,
    String setBy,
    Instant createdAt,
    Instant updatedAt) {

  static NamedPoolResponse of(PoolStatus status) {
    PoolDefinition pool = status.definition();
    return new NamedPoolResponse(
        pool.name(),
        pool.size(),
        pool.leaseDefault().toString(),
        pool.leaseMax().toString(),
        pool.maxHold().toString(),
        pool.onFullDefault().name().toLowerCase(Locale.ROOT),
        status.counts().size(),
        status.counts().active(),
        status.counts().available(),
        status.counts().retiring(),
        pool.setBy().orElse(null),
        pool.createdAt(),
        pool.updatedAt());
  }
}
