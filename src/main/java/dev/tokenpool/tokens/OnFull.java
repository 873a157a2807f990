package dev.tokenpool.tokens;

/** What an activation does when the pool has no free token. */
public enum OnFull {
  /** Takes the token of the holding that expires soonest, whose holder is evicted. */
  EVICT,
  /** Is refused at once ({@link PoolFullException}). */
  FAIL,
  /** Waits for a token to free up, up to its wait. */
  WAIT
}
