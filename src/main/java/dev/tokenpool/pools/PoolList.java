package dev.tokenpool.pools;

import java.util.Set;
import java.util.TreeSet;

/**
 * How a credential's pools are stored in one column ({@code api_keys.pools}, {@code
 * operator_sessions.pools}): space-separated names, sorted (no name holds a space); NULL for every
 * pool.
 */
public final class PoolList {

  /** The column's width: space-separated names up to this many characters. */
  public static final int MAX_LENGTH = 2000;

  private PoolList() {}

  public static String format(Set<String> pools) {
    return pools.isEmpty() ? null : String.join(" ", new TreeSet<>(pools));
  }

  public static Set<String> parse(String column) {
    return column == null || column.isBlank() ? Set.of() : Set.of(column.trim().split(" +"));
  }
}
