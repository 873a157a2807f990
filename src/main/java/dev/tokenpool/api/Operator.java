package dev.tokenpool.api;

import dev.tokenpool.admin.Role;

/**
 * An authenticated operator.
 *
 * @param via how: {@code basic}, {@code session}, {@code jwt} or {@code api-key:<id>}
 */
record Operator(String name, Role role, String via) {}
