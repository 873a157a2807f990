package dev.tokenpool.persistence;

/**
 * The database could not be reached, or the connection to it was lost. Nothing was committed by the
 * failed unit of work; the client may try again once the database is back.
 */
public final class DatabaseUnavailableException extends RuntimeException {

  public DatabaseUnavailableException(Throwable cause) {
    super("The database cannot be reached: " + cause, cause);
  }
}
