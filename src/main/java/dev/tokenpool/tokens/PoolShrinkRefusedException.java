package dev.tokenpool.tokens;

/**
 * The configured default pool is smaller than the pool in the database. Nodes never shrink it at
 * startup (nodes with different settings would shrink each other's pool); an operator does.
 */
public final class PoolShrinkRefusedException extends RuntimeException {

  public PoolShrinkRefusedException(int existing, int configured) {
    super(
        "TOKENPOOL_POOL_SIZE="
            + configured
            + " is smaller than the "
            + existing
            + " tokens of the default pool in the database; a node's setting only grows it. Set"
            + " TOKENPOOL_POOL_SIZE to at least "
            + existing
            + ", or shrink the pool at runtime: PATCH /api/admin/pools/default {\"size\": "
            + configured
            + "}.");
  }
}
