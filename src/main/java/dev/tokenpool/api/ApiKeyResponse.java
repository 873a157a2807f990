package dev.tokenpool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tokenpool.security.ApiKey;
import dev.tokenpool.security.IssuedApiKey;
import java.time.Instant;
import java.util.List;

/**
 * An API key as the admin API shows it; {@code key}, the secret, only in the answer that created
 * it. {@code pools}: the pools it may use, null for every pool.
 */
public record ApiKeyResponse(
    String id,
    String name,
    String scope,
    Instant createdAt,
    String createdBy,
    Instant expiresAt,
    Instant lastUsedAt,
    List<String> pools,
    @JsonInclude(JsonInclude.Include.NON_NULL) String key) {

  static ApiKeyResponse of(ApiKey k) {
    return new ApiKeyResponse(
        k.id(),
        k.name(),
        k.scope().scope(),
        k.createdAt(),
        k.createdBy(),
        k.expiresAt().orElse(null),
        k.lastUsedAt().orElse(null),
        k.pools().isEmpty() ? null : k.pools().stream().sorted().toList(),
        null);
  }

  static ApiKeyResponse issued(IssuedApiKey issued) {
    ApiKeyResponse shown = of(issued.key());
    return new ApiKeyResponse(
        shown.id,
        shown.name,
        shown.scope,
        shown.createdAt,
        shown.createdBy,
        shown.expiresAt,
        shown.lastUsedAt,
        shown.pools,
        issued.secret());
  }

  @Override
  public String toString() {
    return "ApiKeyResponse{" + id + ", " + name + "}"; // never the key
  }
}
