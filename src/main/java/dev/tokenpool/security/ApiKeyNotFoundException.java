package dev.tokenpool.security;

/** No API key has this id (any more). */
public final class ApiKeyNotFoundException extends RuntimeException {

  public ApiKeyNotFoundException(String id) {
    super("No API key " + id);
  }
}
