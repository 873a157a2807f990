package dev.tokenpool.security;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated client of the token API.
 *
 * @param name the token's subject ({@code sub}) or the API key's name: the user a holder acts as
 * @param role what it may do
 * @param via how it proved it, for the audit log: {@code jwt} or {@code api-key:<id>}
 * @param pools the pools it may use; empty: every pool
 */
public record Client(String name, ClientRole role, String via, Set<String> pools) {

  public Client {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(via, "via");
    pools = Set.copyOf(pools);
  }

  /** A client of every pool. */
  public Client(String name, ClientRole role, String via) {
    this(name, role, via, Set.of());
  }

  /** Whether it may use the pool with this name. */
  public boolean mayUse(String pool) {
    return pools.isEmpty() || pools.contains(pool);
  }

  /** The key that rate limits count this client's requests under. */
  public String rateKey() {
    return via + "/" + name;
  }
}
