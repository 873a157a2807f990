package dev.tokenpool.api;

import dev.tokenpool.jobs.JobStatus;
import java.time.Instant;

/** A job's schedule and its latest run, as the admin API shows it. */
public record JobStatusResponse(
    String name,
    String description,
    String state,
    String interval,
    Instant nextFireTime,
    Instant previousFireTime,
    String lastRunOutcome,
    Integer lastRunReleased,
    Instant lastRunFinishedAt) {

  static JobStatusResponse of(JobStatus job) {
    return new JobStatusResponse(
        job.name(),
        job.description(),
        job.state().name(),
        job.interval().toString(),
        job.nextFireTime(),
        job.previousFireTime(),
        job.lastRunOutcome() == null ? null : job.lastRunOutcome().name(),
        job.lastRunReleased(),
        job.lastRunFinishedAt());
  }
}
