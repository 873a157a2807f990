package dev.tokenpool.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Objects;
import org.h2.tools.TriggerAdapter;

/**
 * H2's twin of the MySQL triggers {@code trg_usages_opened_event} and {@code
 * trg_usages_changed_event}: every change of a usage writes its event, in the same transaction.
 */
public final class UsageEventsTrigger extends TriggerAdapter {

  private static final String INSERT =
      "INSERT INTO events (at, type, token_id, user_id, fence, expires_at, ended_by, evicted_by,"
          + " pool_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  @Override
  public void fire(Connection connection, ResultSet oldRow, ResultSet newRow) throws SQLException {
    if (newRow == null) {
      return; // a deleted usage (history pruned) is no event
    }
    if (oldRow == null) {
      write(connection, newRow, "STARTED_AT", "activated", true, false);
      return;
    }
    boolean ends = oldRow.getObject("ENDED_AT") == null && newRow.getObject("ENDED_AT") != null;
    String reason = newRow.getString("END_REASON");
    if (ends && !"EVICTED".equals(reason)) {
      write(connection, newRow, "ENDED_AT", reason.toLowerCase(Locale.ROOT), false, false);
    } else if (oldRow.getObject("EVICTED_BY") == null && newRow.getObject("EVICTED_BY") != null) {
      write(connection, newRow, "ENDED_AT", "evicted", false, true);
    } else if (newRow.getInt("RENEWALS") > oldRow.getInt("RENEWALS")) {
      write(connection, newRow, "LAST_RENEWED_AT", "renewed", true, false);
    }
  }

  private static void write(
      Connection connection,
      ResultSet row,
      String atColumn,
      String type,
      boolean withExpiry,
      boolean withEvictor)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setLong(1, row.getLong(atColumn));
      insert.setString(2, type);
      insert.setString(3, row.getString("TOKEN_ID"));
      insert.setString(4, row.getString("USER_ID"));
      insert.setLong(5, row.getLong("ID"));
      setLong(insert, 6, withExpiry ? row.getLong("EXPIRES_AT") : null);
      insert.setString(7, Objects.equals(type, "activated") ? null : row.getString("ENDED_BY"));
      setLong(insert, 8, withEvictor ? row.getLong("EVICTED_BY") : null);
      insert.setInt(9, row.getInt("POOL_ID"));
      insert.executeUpdate();
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
