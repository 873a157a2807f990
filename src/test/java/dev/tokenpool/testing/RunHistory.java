package dev.tokenpool.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads job runs and usages straight from the database, for cluster assertions. */
public final class RunHistory {

  private final TestDatabase db;

  public RunHistory(TestDatabase db) {
    this.db = db;
  }

  /** One row of {@code job_runs}. */
  public record Run(
      String fireInstanceId,
      String nodeId,
      Long scheduledAt,
      long firedAt,
      long startedAt,
      Long finishedAt,
      String outcome,
      int released,
      String error,
      boolean manual,
      boolean recovering) {}

  public List<Run> runs(String job) throws SQLException {
    List<Run> runs = new ArrayList<>();
    try (Connection connection = db.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT fire_instance_id, node_id, scheduled_at, fired_at, started_at,"
                        + " finished_at, outcome, released, error, manual, recovering"
                        + " FROM job_runs WHERE job_name = '"
                        + job
                        + "' ORDER BY fired_at, id")) {
      while (rows.next()) {
        runs.add(
            new Run(
                rows.getString(1),
                rows.getString(2),
                rows.getObject(3, Long.class),
                rows.getLong(4),
                rows.getLong(5),
                rows.getObject(6, Long.class),
                rows.getString(7),
                rows.getInt(8),
                rows.getString(9),
                rows.getBoolean(10),
                rows.getBoolean(11)));
      }
    }
    return runs;
  }

  /** The first column of every row a query returns. */
  public List<String> strings(String sql) {
    try (Connection connection = db.connect();
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed: " + sql, e);
    }
  }

  public long count(String sql) throws SQLException {
    try (Connection connection = db.connect();
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Usages ended by a job run. */
  public long endedByRuns() throws SQLException {
    return count("SELECT COUNT(*) FROM usages WHERE ended_by_run IS NOT NULL");
  }

  /** The runs' released counts, added up. */
  public long releasedByRuns() throws SQLException {
    return count(
        "SELECT COALESCE(SUM(released), 0) FROM job_runs WHERE job_name = 'expire-tokens'");
  }

  /** Usages still open although they expired before {@code cutoffMillis}. */
  public long openAndExpiredBefore(long cutoffMillis) throws SQLException {
    return count(
        "SELECT COUNT(*) FROM usages WHERE ended_at IS NULL AND expires_at < " + cutoffMillis);
  }
}
