package dev.tokenpool.pools;

/** Every live pool together: how many, their sizes' sum, their active holdings (retiring too). */
public record PoolTotals(long pools, long size, long active) {

  /** Before the first read. */
  public static final PoolTotals NONE = new PoolTotals(0, 0, 0);
}
