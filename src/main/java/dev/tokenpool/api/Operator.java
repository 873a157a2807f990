package dev.tokenpool.api;

import dev.tokenpool.admin.Role;
import java.util.Set;

/**
 * An authenticated operator.
 *
 * @param via how: {@code basic}, {@code session}, {@code jwt} or {@code api-key:<id>}
 * @param pools the pools it may see and manage; empty: every pool
 */
record Operator(String name, Role role, String via, Set<String> pools) {

  Operator {
    pools = Set.copyOf(pools);
  }

  /** An operator of every pool. */
  Operator(String name, Role role, String via) {
    this(name, role, via, Set.of());
  }

  /** Whether it may see and manage the pool with this name. */
  boolean mayUse(String pool) {
    return pools.isEmpty() || pools.contains(pool);
  }

  /**
   * Whether a browser could have sent the credential by itself (a cached Basic login, the session
   * cookie): only such requests need the cross-site guard. A bearer credential is never sent
   * without the page's own script.
   */
  boolean browserBorne() {
    return via.equals("basic") || via.equals("session");
  }
}
