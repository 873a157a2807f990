package dev.tokenpool.jobs;

/** How a job run ended; RUNNING until it does. */
public enum RunOutcome {
  RUNNING,
  SUCCESS,
  FAILED
}
