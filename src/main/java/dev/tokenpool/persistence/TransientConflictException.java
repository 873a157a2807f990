package dev.tokenpool.persistence;

/**
 * A transaction met a momentary conflict with concurrent ones and should simply be tried again;
 * {@link Transactions#retrying} does so.
 */
public class TransientConflictException extends RuntimeException {

  public TransientConflictException(String message) {
    super(message);
  }

  public TransientConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
