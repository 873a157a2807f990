package dev.tokenpool.api;

/** A token API request without a bearer credential (RFC 6750: 401 with a plain challenge). */
public final class BearerTokenRequiredException extends RuntimeException {

  public BearerTokenRequiredException() {
    super("A bearer token is required: Authorization: Bearer <API key or access token>");
  }
}
