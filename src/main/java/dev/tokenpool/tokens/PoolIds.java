package dev.tokenpool.tokens;

/** The pool every deployment has: the one {@code /api/tokens} serves, created by migration V12. */
public final class PoolIds {

  /** The default pool's id: the first row of {@code pools}. */
  public static final int DEFAULT = 1;

  /** The default pool's name. */
  public static final String DEFAULT_NAME = "default";

  private PoolIds() {}
}
