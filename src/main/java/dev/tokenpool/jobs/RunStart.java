package dev.tokenpool.jobs;

import java.time.Instant;

/**
 * What is known of a run when it starts. {@code manual} marks a run not caused by the schedule
 * (an admin's trigger or a direct call); {@code recovering} marks the re-run of an execution
 * whose node died.
 */
record RunStart(
    String jobName,
    String fireInstanceId,
    Instant scheduledAt,
    Instant firedAt,
    boolean manual,
    boolean recovering) {}
