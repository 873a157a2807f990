package dev.tokenpool.jobs;

import java.time.Duration;
import org.slf4j.LoggerFactory;

/** Told of every finished job run, on the node that ran it (for metrics). */
@FunctionalInterface
public interface RunListener {

  RunListener NONE = (job, outcome, duration) -> {};

  void runFinished(String job, RunOutcome outcome, Duration duration);

  /**
   * This listener, with its failures logged and contained: a metrics bug must never change the
   * outcome a run records.
   */
  static RunListener guarded(RunListener listener) {
    return (job, outcome, duration) -> {
      try {
        listener.runFinished(job, outcome, duration);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(RunListener.class).warn("A job run listener failed", e);
      }
    };
  }
}
