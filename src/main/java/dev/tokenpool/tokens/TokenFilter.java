package dev.tokenpool.tokens;

/** Which tokens a listing returns. */
public enum TokenFilter {
  ALL,
  ACTIVE,
  AVAILABLE
}
