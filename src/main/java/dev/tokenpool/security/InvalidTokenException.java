package dev.tokenpool.security;

/**
 * A bearer credential that proves nothing: malformed, forged, expired, for another audience or
 * issuer, signed with an unknown key, or a revoked or expired API key (RFC 6750 {@code
 * invalid_token}). The message says which, and never repeats the credential.
 */
public final class InvalidTokenException extends RuntimeException {

  public InvalidTokenException(String reason) {
    super(reason);
  }
}
