package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one run of a job and keeps its record: a RUNNING row when it starts (closing, in the same
 * transaction, the runs of that job that can no longer finish), then the work, then the outcome
 * with the count the work reported. The outcome is recorded before the listener hears of it, and
 * a failing listener changes nothing.
 */
final class JobRunner {

  private static final int MAX_ERROR_LENGTH = 2000;

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final AbandonedRuns abandoned;
  private final Clock clock;
  private final String nodeId;
  private final RunListener listener;

  JobRunner(
      Transactions transactions,
      JobRunRepository repository,
      AbandonedRuns abandoned,
      Clock clock,
      String nodeId,
      RunListener listener) {
    this.transactions = transactions;
    this.repository = repository;
    this.abandoned = abandoned;
    this.clock = clock;
    this.nodeId = nodeId;
    this.listener = RunListener.guarded(listener);
  }

  /**
   * Records the start, runs {@code handler}, records the outcome and returns the count the run
   * reported. A failure is recorded (with what the run had counted until then) and rethrown.
   */
  int run(RunStart start, JobHandler handler) {
    long began = System.nanoTime();
    recordStart(start);
    AtomicInteger released = new AtomicInteger();
    try {
      handler.run(start.fireInstanceId(), released::addAndGet);
    } catch (RuntimeException | Error failure) {
      try {
        recordEnd(start, RunOutcome.FAILED, describe(failure), released.get());
      } catch (RuntimeException recordingFailure) {
        failure.addSuppressed(recordingFailure);
      }
      listener.runFinished(start.jobName(), RunOutcome.FAILED, since(began));
      throw failure;
    }
    recordEnd(start, RunOutcome.SUCCESS, null, released.get());
    listener.runFinished(start.jobName(), RunOutcome.SUCCESS, since(began));
    return released.get();
  }

  private void recordStart(RunStart start) {
    transactions.retrying(
        session -> {
          abandoned.closeOthers(session, start.jobName(), start.fireInstanceId());
          repository.insert(session, new JobRun(start, nodeId, clock.instant()));
          return null;
        });
  }

  private void recordEnd(RunStart start, RunOutcome outcome, String error, int released) {
    transactions.retrying(
        session -> {
          repository.finish(
              session, start.fireInstanceId(), outcome, clock.instant(), error, released);
          return null;
        });
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.toString());
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      text.append("; caused by ").append(cause);
    }
    return text.length() <= MAX_ERROR_LENGTH
        ? text.toString()
        : text.substring(0, MAX_ERROR_LENGTH);
  }
}
