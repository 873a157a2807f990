package dev.tokenpool.jobs;

import java.util.function.IntConsumer;

/** The work of one run of a job. */
@FunctionalInterface
public interface JobHandler {

  /**
   * Does one run's work. {@code counted} is told of each count of what the run did, once that count
   * is committed (the expiry job: the usages it ended); the run's record shows their sum (its
   * {@code released} in the API).
   */
  void run(String fireInstanceId, IntConsumer counted);
}
