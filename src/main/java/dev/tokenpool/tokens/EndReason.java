package dev.tokenpool.tokens;

/** Why a usage ended. Every usage ends exactly once, with one of these. */
public enum EndReason {
  /** Its lifetime passed; recorded with {@code ended_at = expires_at}. */
  EXPIRED,
  /** The pool was full and this was the oldest active usage, so a newcomer took its token. */
  EVICTED,
  /** Released by hand through the API. */
  RELEASED,
  /** Ended by clearing all active tokens. */
  CLEARED
}
