package dev.tokenpool.api;

import dev.tokenpool.jobs.ClusterNode;
import java.time.Instant;
import java.util.List;

/**
 * The cluster's scheduler nodes, which node answered, and how many of the newest runs were looked
 * at to say who ran them.
 */
public record NodesResponse(String servedBy, int latestRunsConsidered, List<Node> nodes) {

  /** One scheduler node from the cluster's check-in table. */
  public record Node(
      String nodeId,
      Instant lastCheckIn,
      String checkInInterval,
      boolean alive,
      JobRunResponse latestRun,
      int runsInLatest) {

    static Node of(ClusterNode node) {
      return new Node(
          node.nodeId(),
          node.lastCheckIn(),
          node.checkInInterval().toString(),
          node.alive(),
          node.latestRun() == null ? null : JobRunResponse.of(node.latestRun()),
          node.runsInLatest());
    }
  }
}
