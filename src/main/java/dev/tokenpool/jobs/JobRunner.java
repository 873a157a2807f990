package dev.tokenpool.jobs;

import dev.tokenpool.logging.LogFields;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one run of a job between its recorded start and its recorded outcome, with the count the
 * work reported. The outcome is recorded before the listener hears of it, and a failing listener
 * changes nothing.
 */
final class JobRunner {

  private static final int MAX_ERROR_LENGTH = 2000;

  private final RunRecords records;
  private final RunListener listener;
  private final RunSpans spans;

  JobRunner(RunRecords records, RunListener listener, RunSpans spans) {
    this.records = records;
    this.listener = RunListener.guarded(listener);
    this.spans = spans;
  }

  /**
   * Records the start, runs {@code handler}, records the outcome and returns the count the run
   * reported. A failure is recorded (with what the run had counted until then) and rethrown. The
   * run's log lines carry its id ({@code job_run_id}).
   */
  int run(RunStart start, JobHandler handler) {
    LogFields.Scope logged = LogFields.jobRun(start.fireInstanceId());
    try {
      return spans.run(start.jobName(), start.fireInstanceId(), () -> recorded(start, handler));
    } finally {
      logged.close();
    }
  }

  private int recorded(RunStart start, JobHandler handler) {
    long began = System.nanoTime();
    records.started(start);
    AtomicInteger released = new AtomicInteger();
    try {
      handler.run(start.fireInstanceId(), released::addAndGet);
    } catch (RuntimeException | Error failure) {
      try {
        records.finished(
            start.fireInstanceId(), RunOutcome.FAILED, describe(failure), released.get());
      } catch (RuntimeException recordingFailure) {
        failure.addSuppressed(recordingFailure);
      }
      listener.runFinished(start.jobName(), RunOutcome.FAILED, since(began));
      throw failure;
    }
    records.finished(start.fireInstanceId(), RunOutcome.SUCCESS, null, released.get());
    listener.runFinished(start.jobName(), RunOutcome.SUCCESS, since(began));
    return released.get();
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
