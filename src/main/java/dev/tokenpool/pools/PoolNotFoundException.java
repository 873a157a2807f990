package dev.tokenpool.pools;

/** No pool has this name (it was never created, or was deleted); answered 404. */
public final class PoolNotFoundException extends RuntimeException {

  private final String name;

  public PoolNotFoundException(String name) {
    super("No pool is named " + name);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
