package dev.tokenpool.tokens;

/** The configured pool is smaller than the pool in the database; tokens are never deleted. */
public final class PoolShrinkRefusedException extends RuntimeException {

  public PoolShrinkRefusedException(int existing, int configured) {
    super(
        "TOKENPOOL_POOL_SIZE="
            + configured
            + " is smaller than the "
            + existing
            + " tokens already in the database; a pool can grow but never shrink, because its"
            + " tokens carry history. Set TOKENPOOL_POOL_SIZE to at least "
            + existing
            + ".");
  }
}
