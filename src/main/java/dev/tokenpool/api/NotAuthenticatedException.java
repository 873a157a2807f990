package dev.tokenpool.api;

/** The request carries no valid operator credentials. */
public final class NotAuthenticatedException extends RuntimeException {

  public NotAuthenticatedException() {
    this(
        "Operator credentials are required (HTTP Basic, the console's session, or a bearer token"
            + " with the operator scope)");
  }

  public NotAuthenticatedException(String reason) {
    super(reason);
  }
}
