package dev.tokenpool.tokens;

/**
 * The node stopped while the request waited for a token; the client may ask another node. (Had a
 * token reached it just before, asking again returns that holding.)
 */
public final class WaitInterruptedException extends RuntimeException {

  public WaitInterruptedException() {
    super("This node is stopping; the request no longer waits here");
  }
}
