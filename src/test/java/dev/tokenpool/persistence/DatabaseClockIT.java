package dev.tokenpool.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database's clock as a node reads it (decision 64), against MariaDB on this host: a node whose
 * clock agrees keeps it exactly; a node whose clock is 90 s off reads the server's time all the
 * same; readings never go back.
 */
class DatabaseClockIT {

  private TestDatabase db;
  private HikariDataSource dataSource;

  @BeforeEach
  void connect() {
    db = MariaDbServer.createDatabase("clock");
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.url());
    dataSource.setUsername(db.user());
    dataSource.setPassword(db.password());
    dataSource.setMaximumPoolSize(2);
  }

  @AfterEach
  void close() {
    dataSource.close();
    db.close();
  }

  @Test
  void aNodeWhoseClockAgreesWithTheServersKeepsItsOwn() {
    try (DatabaseClock clock = DatabaseClock.start(dataSource, Clock.systemUTC())) {
      assertThat(clock.measurement().offsetMillis()).isZero();
      assertThat(Math.abs(clock.millis() - System.currentTimeMillis())).isLessThanOrEqualTo(5);
    }
  }

  @Test
  void aNodeWhoseClockIsOffReadsTheServersTime() throws Exception {
    for (Duration skew : new Duration[] {Duration.ofSeconds(90), Duration.ofSeconds(-90)}) {
      try (DatabaseClock clock =
          DatabaseClock.start(dataSource, Clock.offset(Clock.systemUTC(), skew))) {
        assertThat(clock.measurement().offset())
            .isBetween(skew.negated().minusMillis(50), skew.negated().plusMillis(50));
        long before = serverMillis();
        long read = clock.millis();
        long after = serverMillis();
        assertThat(read).as("read between two server readings").isBetween(before - 50, after + 50);
      }
    }
  }

  @Test
  void readingsNeverGoBack() {
    try (DatabaseClock clock = DatabaseClock.start(dataSource, Clock.systemUTC())) {
      long last = Long.MIN_VALUE;
      for (int i = 0; i < 200_000; i++) {
        long now = clock.millis();
        assertThat(now).isGreaterThanOrEqualTo(last);
        last = now;
      }
    }
  }

  private long serverMillis() throws Exception {
    try (Connection connection = dataSource.getConnection();
        ResultSet row =
            connection
                .createStatement()
                .executeQuery("SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)")) {
      row.next();
      return row.getLong(1);
    }
  }
}
