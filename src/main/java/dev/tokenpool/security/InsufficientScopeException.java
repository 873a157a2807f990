package dev.tokenpool.security;

/**
 * A valid token that grants none of the scopes this API knows (RFC 6750 {@code
 * insufficient_scope}).
 */
public final class InsufficientScopeException extends RuntimeException {

  private final String requiredScopes;

  public InsufficientScopeException(String requiredScopes) {
    super("The token grants none of the scopes " + requiredScopes);
    this.requiredScopes = requiredScopes;
  }

  /** The scopes any of which would do, space-separated, for the challenge's {@code scope}. */
  public String requiredScopes() {
    return requiredScopes;
  }
}
