package dev.tokenpool.admin;

/**
 * The named pools over JMX ({@code dev.tokenpool:type=Pools,node=<node id>}), as {@code
 * /api/admin/pools} manages them. Plain types only, so jconsole and jmxterm show and call
 * everything directly; a refusal is an {@link IllegalArgumentException} (bad input) or an {@link
 * IllegalStateException} (a name taken, a pool with holders, no such pool) with the reason.
 */
public interface PoolsMXBean {

  /** Live pools. */
  long getPoolCount();

  /** The names of the first 1,000 pools in name order. */
  String[] getPoolNames();

  /** A pool's settings and counts, one line: {@code name=... size=... tokens=... active=...}. */
  String describePool(String name);

  /** Creates a pool with the node's lease settings and {@code evict}; its description. */
  String createPool(String name, int size);

  /** Grows or shrinks a pool (shrinking never evicts); its description. */
  String resizePool(String name, int size);

  /**
   * Changes a pool's leases (ISO-8601) and full-pool default ({@code evict}, {@code fail}, {@code
   * wait}); an empty argument keeps that setting. Its description.
   */
  String changePool(
      String name, String leaseDefault, String leaseMax, String maxHold, String onFull);

  /** Deletes a pool; with {@code drain}, ends its holdings as CLEARED first. Holdings cleared. */
  int deletePool(String name, boolean drain);
}
