package dev.tokenpool.security;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tells who a bearer credential stands for: one of our API keys (by its prefix) or, when a provider
 * is configured, one of its JWT access tokens. Anything else is an invalid token.
 */
public final class ClientAuthenticator {

  private final Function<String, Client> apiKeys;
  private final Optional<JwtVerifier> jwt;

  /**
   * @param apiKeys finds the client of an API key, or throws {@link InvalidTokenException}
   * @param jwt the provider's token checks; empty: API keys only
   */
  public ClientAuthenticator(Function<String, Client> apiKeys, Optional<JwtVerifier> jwt) {
    this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    this.jwt = Objects.requireNonNull(jwt, "jwt");
  }

  public Client authenticate(String bearer) {
    if (ApiKeys.looksLikeKey(bearer)) {
      return apiKeys.apply(bearer);
    }
    return jwt.orElseThrow(
            () ->
                new InvalidTokenException(
                    "Not an API key, and no identity provider is configured for JWTs"))
        .verify(bearer);
  }

  /** The provider's token checks, where a provider is configured. */
  public Optional<JwtVerifier> providerTokens() {
    return jwt;
  }
}
