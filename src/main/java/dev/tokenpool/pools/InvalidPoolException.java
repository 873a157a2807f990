package dev.tokenpool.pools;

/** A pool's name or setting that no pool may have; answered 400, naming the field. */
public final class InvalidPoolException extends IllegalArgumentException {

  private final String field;

  public InvalidPoolException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
