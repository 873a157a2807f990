package dev.tokenpool.security;

/** Another API key already has this name; names are unique, as a holder key's user is its name. */
public final class ApiKeyNameTakenException extends RuntimeException {

  public ApiKeyNameTakenException(String name) {
    super("An API key named '" + name + "' exists already");
  }
}
