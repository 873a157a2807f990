package dev.tokenpool.jobs;

import java.time.Duration;

/** Told of every finished job run, on the node that ran it (for metrics). */
@FunctionalInterface
public interface RunListener {

  RunListener NONE = (job, outcome, duration) -> {};

  void runFinished(String job, RunOutcome outcome, Duration duration);
}
