package dev.tokenpool.jobs;

import java.time.Instant;

/** One job run as the API and admin tools see it. */
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
    boolean recovering) {}
