package dev.tokenpool.security;

import java.util.Objects;

/**
 * An authenticated client of the token API.
 *
 * @param name the token's subject ({@code sub}) or the API key's name: the user a holder acts as
 * @param role what it may do
 * @param via how it proved it, for the audit log: {@code jwt} or {@code api-key:<id>}
 */
public record Client(String name, ClientRole role, String via) {

  public Client {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(via, "via");
  }

  /** The key that rate limits count this client's requests under. */
  public String rateKey() {
    return via + "/" + name;
  }
}
