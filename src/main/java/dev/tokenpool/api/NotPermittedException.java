package dev.tokenpool.api;

/** The operator is authenticated but may only read. */
public final class NotPermittedException extends RuntimeException {

  public NotPermittedException() {
    super("This login may only read; changes need the admin login");
  }
}
