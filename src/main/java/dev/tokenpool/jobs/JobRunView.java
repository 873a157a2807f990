package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * One job run as the API and admin tools see it.
 *
 * @param schedule the job's interval when the run started; null for a direct run, or a run recorded
 *     before schedules were
 */
public record JobRunView(
    String job,
    String fireInstanceId,
    String nodeId,
    Instant scheduledAt,
    Instant firedAt,
    Instant startedAt,
    Instant finishedAt,
    RunOutcome outcome,
    int released,
    String error,
    boolean manual,
    boolean recovering,
    Duration schedule) {}
