package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * One scheduler node as the cluster's check-in table lists it, whether it is still alive, and its
 * share of the latest runs.
 *
 * @param latestRun the newest of its runs among the latest ones considered; null if none
 * @param runsInLatest how many of the latest runs considered it ran
 */
public record ClusterNode(
    String nodeId,
    Instant lastCheckIn,
    Duration checkInInterval,
    boolean alive,
    JobRunView latestRun,
    int runsInLatest) {

  /** What Quartz's cluster manager adds to a node's check-in interval before it recovers it. */
  static final Duration QUARTZ_FAILURE_SLACK = Duration.ofMillis(7_500);

  /**
   * Whether Quartz still counts a node with this check-in as alive at {@code now}: once it is later
   * than that, another node takes over its running fires.
   */
  static boolean aliveAt(Instant lastCheckIn, Duration interval, Instant now) {
    return !now.isAfter(lastCheckIn.plus(interval).plus(QUARTZ_FAILURE_SLACK));
  }
}
