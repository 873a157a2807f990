package dev.tokenpool.security;

/**
 * The provider's keys are needed to check a token and cannot be fetched: the token may well be
 * valid, so the client is told to retry (503), not that it is unauthenticated.
 */
public final class IdentityProviderUnavailableException extends RuntimeException {

  public IdentityProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
