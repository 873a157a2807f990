package dev.tokenpool.api;

import dev.tokenpool.jobs.JobRunView;
import java.time.Instant;

/** One job run: where and when it ran, how it ended, and how many usages it released. */
public record JobRunResponse(
    String job,
    String fireInstanceId,
    String nodeId,
    Instant scheduledAt,
    Instant firedAt,
    Instant startedAt,
    Instant finishedAt,
    String outcome,
    int released,
    String error,
    boolean manual,
    boolean recovering) {

  static JobRunResponse of(JobRunView run) {
    return new JobRunResponse(
        run.job(),
        run.fireInstanceId(),
        run.nodeId(),
        run.scheduledAt(),
        run.firedAt(),
        run.startedAt(),
        run.finishedAt(),
        run.outcome().name(),
        run.released(),
        run.error(),
        run.manual(),
        run.recovering());
  }
}
