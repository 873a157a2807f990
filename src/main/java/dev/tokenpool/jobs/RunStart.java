package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What is known of a run when it starts. {@code manual} marks a run not caused by the schedule (an
 * admin's trigger or a direct call); {@code recovering} marks the re-run of an execution whose node
 * died; {@code schedule} is the job's interval in force when the run started (null for a direct
 * run, which no schedule caused).
 */
record RunStart(
    String jobName,
    String fireInstanceId,
    Instant scheduledAt,
    Instant firedAt,
    boolean manual,
    boolean recovering,
    Duration schedule) {

  /** Fire instance ids of runs made outside the scheduler start with this. */
  static final String DIRECT_RUN_PREFIX = "direct-";

  /** A run on this node, outside the scheduler (expire-now, JMX): manual, and never recovered. */
  static RunStart direct(String jobName, Instant now) {
    return new RunStart(
        jobName, DIRECT_RUN_PREFIX + UUID.randomUUID(), null, now, true, false, null);
  }

  static boolean isDirect(String fireInstanceId) {
    return fireInstanceId.startsWith(DIRECT_RUN_PREFIX);
  }
}
