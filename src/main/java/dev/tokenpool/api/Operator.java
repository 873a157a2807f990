package dev.tokenpool.api;

import dev.tokenpool.admin.Role;

/**
 * An authenticated operator.
 *
 * @param via how: {@code basic}, {@code session}, {@code jwt} or {@code api-key:<id>}
 */
record Operator(String name, Role role, String via) {

  /**
   * Whether a browser could have sent the credential by itself (a cached Basic login, the session
   * cookie): only such requests need the cross-site guard. A bearer credential is never sent
   * without the page's own script.
   */
  boolean browserBorne() {
    return via.equals("basic") || via.equals("session");
  }
}
