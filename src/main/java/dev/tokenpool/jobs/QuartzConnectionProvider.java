package dev.tokenpool.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/** Hands Quartz connections from the application's DataSource; the node owns and closes it. */
final class QuartzConnectionProvider implements ConnectionProvider {

  private final DataSource dataSource;

  QuartzConnectionProvider(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void shutdown() {
    // Not ours to close.
  }

  @Override
  public void initialize() {
    // Nothing to prepare.
  }
}
