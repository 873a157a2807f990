package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.List;

/**
 * What happened to the pool lately, minute by minute, oldest first; the last minute is the current
 * one, still running.
 *
 * @param complete false when the window held more events than one read takes, so the counts of its
 *     oldest minutes are too low
 */
public record PoolActivity(List<Minute> minutes, boolean complete) {

  /** One minute: usages opened, renewals, and usages ended by each reason. */
  public record Minute(
      Instant start,
      long activations,
      long renewals,
      long expired,
      long evicted,
      long released,
      long cleared) {}
}
