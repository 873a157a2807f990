package dev.tokenpool.api;

/** The request carries no valid operator credentials. */
public final class NotAuthenticatedException extends RuntimeException {

  public NotAuthenticatedException() {
    super("Operator credentials are required (HTTP Basic)");
  }
}
