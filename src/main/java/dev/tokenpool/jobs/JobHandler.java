package dev.tokenpool.jobs;

import java.util.function.IntConsumer;

/** The work of one run of a job. */
@FunctionalInterface
public interface JobHandler {

  /**
   * Does one run's work. {@code released} is told of each count of usages the run ended, once that
   * count is committed; the run history shows their sum.
   */
  void run(String fireInstanceId, IntConsumer released);
}
