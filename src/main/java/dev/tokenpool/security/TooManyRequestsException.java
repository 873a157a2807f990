package dev.tokenpool.security;

/** A client or address past its limit; it may retry after the given seconds. */
public final class TooManyRequestsException extends RuntimeException {

  private final long retryAfterSeconds;
  private final RateLimit.Decision decision;

  public TooManyRequestsException(String message, long retryAfterSeconds, RateLimit.Decision d) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
    this.decision = d;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The limit's state for the RateLimit headers; null for the per-address login limit. */
  public RateLimit.Decision decision() {
    return decision;
  }
}
