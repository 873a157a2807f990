package dev.tokenpool.api;

import dev.tokenpool.jobs.JobStatus;
import java.time.Instant;
import java.util.List;

/** A job's schedule, where it runs now, and its latest run, as the admin API shows it. */
public record JobStatusResponse(
    String name,
    String description,
    String state,
    String interval,
    String intervalSetBy,
    Instant intervalSetAt,
    Instant nextFireTime,
    Instant previousFireTime,
    List<String> runningOn,
    String lastRunOutcome,
    Integer lastRunReleased,
    Instant lastRunFinishedAt,
    Long lastRunDurationMillis) {

  static JobStatusResponse of(JobStatus job) {
    return new JobStatusResponse(
        job.name(),
        job.description(),
        job.state().name(),
        job.interval().toString(),
        job.intervalSetBy(),
        job.intervalSetAt(),
        job.nextFireTime(),
        job.previousFireTime(),
        job.runningOn(),
        job.lastRunOutcome() == null ? null : job.lastRunOutcome().name(),
        job.lastRunReleased(),
        job.lastRunFinishedAt(),
        job.lastRunDuration() == null ? null : job.lastRunDuration().toMillis());
  }
}
