package dev.tokenpool.tokens;

/** What a client sees of a token at a given moment. */
public enum TokenState {
  ACTIVE,
  AVAILABLE
}
