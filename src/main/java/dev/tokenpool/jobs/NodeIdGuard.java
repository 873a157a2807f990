package dev.tokenpool.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps two live scheduler nodes from sharing an id. Quartz takes the check-in row of its id for
 * its own: a second node under a live node's id would recover the first one's running fires and run
 * the job twice at once. A check-in row that is recent may be a live node or one that just died (a
 * restart after kill -9): the guard watches it until Quartz itself would call it failed, and
 * refuses to start if it moves meanwhile. A node that stops cleanly removes its row, so a clean
 * restart does not wait.
 */
final class NodeIdGuard {

  private static final Logger log = LoggerFactory.getLogger(NodeIdGuard.class);

  private static final Duration POLL = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final String nodeId;

  NodeIdGuard(DataSource dataSource, String nodeId) {
    this.dataSource = dataSource;
    this.nodeId = nodeId;
  }

  private record CheckIn(long lastMillis, long intervalMillis) {}

  /**
   * Returns once no live node uses this id.
   *
   * @throws IllegalStateException if a live node checks in under it
   */
  void requireUnused() {
    Optional<CheckIn> first = checkIn();
    if (first.isEmpty()) {
      return;
    }
    long staleAt =
        first.get().lastMillis()
            + first.get().intervalMillis()
            + ClusterNode.QUARTZ_FAILURE_SLACK.toMillis();
    if (System.currentTimeMillis() > staleAt) {
      return;
    }
    log.info(
        "Node id {} checked in {} ms ago: waiting up to {} ms to see whether that node is alive",
        nodeId,
        System.currentTimeMillis() - first.get().lastMillis(),
        staleAt - System.currentTimeMillis());
    while (System.currentTimeMillis() <= staleAt) {
      sleep();
      Optional<CheckIn> now = checkIn();
      if (now.isEmpty()) {
        return; // it stopped cleanly meanwhile
      }
      if (now.get().lastMillis() != first.get().lastMillis()) {
        throw new IllegalStateException(
            "Node id "
                + nodeId
                + " is in use by a live node of the cluster (it checked in again while this node"
                + " started); give every node its own TOKENPOOL_NODE_ID");
      }
    }
  }

  /** Removes this node's check-in row after a clean stop (its scheduler is shut down). */
  void release() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = ? AND INSTANCE_NAME = ?")) {
      delete.setString(1, JobRunRepository.SCHEDULER_NAME);
      delete.setString(2, nodeId);
      delete.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      log.warn("Could not remove node {}'s check-in row: {}", nodeId, e.toString());
    }
  }

  private Optional<CheckIn> checkIn() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT LAST_CHECKIN_TIME, CHECKIN_INTERVAL FROM QRTZ_SCHEDULER_STATE"
                    + " WHERE SCHED_NAME = ? AND INSTANCE_NAME = ?")) {
      select.setString(1, JobRunRepository.SCHEDULER_NAME);
      select.setString(2, nodeId);
      try (ResultSet row = select.executeQuery()) {
        Optional<CheckIn> result =
            row.next()
                ? Optional.of(new CheckIn(row.getLong(1), row.getLong(2)))
                : Optional.empty();
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
        return result;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the cluster's check-ins: " + e.getMessage(), e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the node id", e);
    }
  }
}
