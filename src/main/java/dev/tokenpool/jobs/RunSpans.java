package dev.tokenpool.jobs;

import java.util.function.IntSupplier;

/**
 * Marks each job run for a tracer (dev.tokenpool.tracing): runs it at once, on the caller's thread,
 * and returns its count or throws its failure.
 */
@FunctionalInterface
public interface RunSpans {

  RunSpans NONE = (job, runId, run) -> run.getAsInt();

  /** Runs {@code run}, the run {@code runId} of {@code job}; returns what it reported. */
  int run(String job, String runId, IntSupplier run);
}
