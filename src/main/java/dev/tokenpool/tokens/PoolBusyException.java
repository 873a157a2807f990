package dev.tokenpool.tokens;

import dev.tokenpool.persistence.TransientConflictException;

/** Every token row was locked by concurrent requests at the moment of asking. */
public final class PoolBusyException extends TransientConflictException {

  public PoolBusyException() {
    super("Every token is being changed by concurrent requests; try again");
  }
}
