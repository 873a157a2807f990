package dev.tokenpool.jobs;

import java.util.Set;

/** Makes {@link UnknownJobException}s for tests outside this package; its constructor is not. */
public final class UnknownJobs {

  private UnknownJobs() {}

  public static UnknownJobException named(String name, Set<String> known) {
    return new UnknownJobException(name, known);
  }
}
