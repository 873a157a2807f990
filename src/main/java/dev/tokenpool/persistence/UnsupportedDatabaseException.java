package dev.tokenpool.persistence;

/** The configured database server cannot give the guarantees tokenpool relies on. */
public final class UnsupportedDatabaseException extends RuntimeException {

  public UnsupportedDatabaseException(String message) {
    super(message);
  }
}
