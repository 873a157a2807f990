package dev.tokenpool.api;

/** The operator is authenticated but may not make this request. */
public final class NotPermittedException extends RuntimeException {

  public NotPermittedException() {
    this("This login may only read; changes need the admin login");
  }

  public NotPermittedException(String reason) {
    super(reason);
  }
}
