package dev.tokenpool.persistence;

import java.time.Duration;

/**
 * A unit of work met only transient conflicts (locks, deadlocks, unique-key races) until its
 * deadline passed. The client may simply try again.
 */
public final class DeadlineExceededException extends TransientConflictException {

  public DeadlineExceededException(Duration deadline, int attempts, Throwable lastFailure) {
    super(
        "Gave up after " + attempts + " attempt(s) in " + deadline + " of transient conflicts",
        lastFailure);
  }
}
