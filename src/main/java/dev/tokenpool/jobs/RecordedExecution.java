package dev.tokenpool.jobs;

import java.util.function.ToIntFunction;

/** Runs one unit of job work between a recorded start and a recorded end. */
final class RecordedExecution {

  private final JobRunRecorder recorder;

  RecordedExecution(JobRunRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * Records the start, runs the work with the run's fire instance id, records the outcome and
   * returns the work's count. A failure is recorded and then rethrown.
   */
  int run(RunStart start, ToIntFunction<String> work) {
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
      throw failure;
    }
    recorder.succeeded(start.fireInstanceId());
    return count;
  }
}
