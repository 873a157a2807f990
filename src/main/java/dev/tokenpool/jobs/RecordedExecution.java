package dev.tokenpool.jobs;

import java.time.Duration;
import java.util.function.ToIntFunction;

/** Runs one unit of job work between a recorded start and a recorded end. */
final class RecordedExecution {

  private final JobRunRecorder recorder;
  private final RunListener listener;

  RecordedExecution(JobRunRecorder recorder, RunListener listener) {
    this.recorder = recorder;
    this.listener = RunListener.guarded(listener);
  }

  /**
   * Records the start, runs the work with the run's fire instance id, records the outcome and
   * returns the work's count. A failure is recorded and then rethrown. The outcome is recorded
   * before the listener hears of it, and a failing listener changes nothing.
   */
  int run(RunStart start, ToIntFunction<String> work) {
    long began = System.nanoTime();
    recorder.started(start);
    int count;
    try {
      count = work.applyAsInt(start.fireInstanceId());
    } catch (RuntimeException | Error failure) {
      try {
        recorder.failed(start.fireInstanceId(), failure);
      } catch (RuntimeException recordingFailure) {
        failure.addSuppressed(recordingFailure);
      }
      listener.runFinished(start.jobName(), RunOutcome.FAILED, since(began));
      throw failure;
    }
    recorder.succeeded(start.fireInstanceId());
    listener.runFinished(start.jobName(), RunOutcome.SUCCESS, since(began));
    return count;
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }
}
