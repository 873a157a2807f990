package dev.tokenpool.security;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as operators see it: never its secret, which only its creator saw once.
 *
 * @param name what the key is for; a holder key acts as the user of this name
 * @param lastUsedAt when a node last accepted it, to the minute
 * @param pools the pools it may use; empty: every pool
 */
public record ApiKey(
    String id,
    String name,
    ClientRole scope,
    Instant createdAt,
    String createdBy,
    Optional<Instant> expiresAt,
    Optional<Instant> lastUsedAt,
    Set<String> pools) {

  public ApiKey {
    pools = Set.copyOf(pools);
  }

  boolean isExpiredAt(Instant now) {
    return expiresAt.map(expiry -> !now.isBefore(expiry)).orElse(false);
  }
}
