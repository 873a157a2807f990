package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;

/** A job's schedule and its latest run. Times are null when there is none. */
public record JobStatus(
    String name,
    String description,
    JobState state,
    Duration interval,
    Instant nextFireTime,
    Instant previousFireTime,
    RunOutcome lastRunOutcome,
    Integer lastRunReleased,
    Instant lastRunFinishedAt) {}
