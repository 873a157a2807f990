package dev.tokenpool.api;

import dev.tokenpool.jobs.JobRunView;
import java.time.Instant;

/**
 * One job run: where and when it ran, how it ended, how many usages it released, and the job's
 * interval in force when it started ({@code schedule}).
 */
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
    boolean recovering,
    String schedule) {

  /** For the public run history: the error's kind only, never its internal text. */
  static JobRunResponse publicView(JobRunView run) {
    JobRunResponse full = of(run);
    String error = run.error() == null ? null : kind(run.error());
    return new JobRunResponse(
        full.job(),
        full.fireInstanceId(),
        full.nodeId(),
        full.scheduledAt(),
        full.firedAt(),
        full.startedAt(),
        full.finishedAt(),
        full.outcome(),
        full.released(),
        error,
        full.manual(),
        full.recovering(),
        full.schedule());
  }

  private static String kind(String error) {
    if (error.startsWith("abandoned")) {
      return "abandoned";
    }
    int colon = error.indexOf(':');
    String type = colon < 0 ? error : error.substring(0, colon);
    return type.substring(type.lastIndexOf('.') + 1).trim();
  }

  /** For the admin API: everything recorded, the error's full text included. */
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
        run.recovering(),
        run.schedule() == null ? null : run.schedule().toString());
  }
}
