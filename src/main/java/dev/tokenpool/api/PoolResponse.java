package dev.tokenpool.api;

import dev.tokenpool.tokens.PoolActivity;
import dev.tokenpool.tokens.PoolCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A pool now, and its activity over the last minutes, as the node that answers reads them. {@code
 * waiters}: activations waiting for a token, on every node and in every pool.
 */
public record PoolResponse(
    String nodeId,
    String pool,
    long size,
    long active,
    long available,
    long waiters,
    String tokenLifetime,
    Activity activity) {

  /** Minutes oldest first, the current one last; {@code complete} false if only partly read. */
  public record Activity(boolean complete, List<Minute> minutes) {}

  /** Usages opened, renewals, and usages ended by reason, in the minute from {@code start}. */
  public record Minute(
      Instant start,
      long activations,
      long renewals,
      long expired,
      long evicted,
      long released,
      long cleared) {}

  static PoolResponse of(
      String nodeId,
      String pool,
      PoolCounts counts,
      long waiters,
      Duration tokenLifetime,
      PoolActivity activity) {
    return new PoolResponse(
        nodeId,
        pool,
        counts.size(),
        counts.active(),
        counts.available(),
        waiters,
        tokenLifetime.toString(),
        new Activity(
            activity.complete(),
            activity.minutes().stream()
                .map(
                    m ->
                        new Minute(
                            m.start(),
                            m.activations(),
                            m.renewals(),
                            m.expired(),
                            m.evicted(),
                            m.released(),
                            m.cleared()))
                .toList()));
  }
}
