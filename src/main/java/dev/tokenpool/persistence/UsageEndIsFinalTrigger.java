package dev.tokenpool.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.h2.tools.TriggerAdapter;

/**
 * H2's twin of the MySQL trigger {@code trg_usages_end_once}: once a usage has ended, its end
 * (time, reason, run) can never be changed, so no usage is ever ended twice.
 */
public final class UsageEndIsFinalTrigger extends TriggerAdapter {

  @Override
  public void fire(Connection connection, ResultSet oldRow, ResultSet newRow) throws SQLException {
    if (oldRow == null || newRow == null || oldRow.getObject("ENDED_AT") == null) {
      return;
    }
    boolean unchanged =
        Objects.equals(oldRow.getObject("ENDED_AT"), newRow.getObject("ENDED_AT"))
            && Objects.equals(oldRow.getObject("END_REASON"), newRow.getObject("END_REASON"))
            && Objects.equals(oldRow.getObject("ENDED_BY_RUN"), newRow.getObject("ENDED_BY_RUN"));
    if (!unchanged) {
      throw new SQLException("usage already ended: an end is final", "45000");
    }
  }
}
