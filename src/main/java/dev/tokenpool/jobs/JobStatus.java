package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job's schedule, where it runs now, and its latest run. Times and the latest run's values are
 * null when there is none.
 *
 * @param intervalSetBy {@link ScheduleOrigin#SETTING} when the interval is a node's setting, else
 *     the operator who set it
 * @param intervalSetAt when the interval was stored; null if unknown (stored by an older release)
 * @param runningOn the nodes with a run of this job recorded as running, in node-id order
 * @param lastRunDuration from the latest run's start to its end; null while it runs
 */
public record JobStatus(
    String name,
    String description,
    JobState state,
    Duration interval,
    String intervalSetBy,
    Instant intervalSetAt,
    Instant nextFireTime,
    Instant previousFireTime,
    List<String> runningOn,
    RunOutcome lastRunOutcome,
    Integer lastRunReleased,
    Instant lastRunFinishedAt,
    Duration lastRunDuration) {}
