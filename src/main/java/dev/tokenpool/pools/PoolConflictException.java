package dev.tokenpool.pools;

/**
 * A change the pool's state refuses: a name already taken, a pool that still has holders, the
 * default pool deleted; answered 409 with what to do instead.
 */
public final class PoolConflictException extends RuntimeException {

  public PoolConflictException(String message) {
    super(message);
  }
}
