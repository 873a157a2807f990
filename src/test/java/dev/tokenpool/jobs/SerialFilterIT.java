package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whoever can write the database must not run code on the nodes: a BLOB trigger that holds a
 * serialised object of a class outside the JVM-wide filter (here as a Quartz calendar, which Quartz
 * 2.5 deserialises from its table) is refused when Quartz reads it, and the object's own code never
 * runs.
 */
class SerialFilterIT {

  private TestDatabase db;
  private TokenPoolNode node;

  @BeforeEach
  void startANode() {
    db = MariaDbServer.createDatabase("serial_filter");
    TokenPoolConfig config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, "serial-filter")
            .with(PoolSettings.POOL_SIZE, "2")
            .config();
    node = TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
    Tripwire.TRIPPED.set(false);
  }

  @AfterEach
  void stopTheNode() throws SQLException {
    try {
      sql("DELETE FROM QRTZ_CALENDARS WHERE CALENDAR_NAME = 'crafted'");
    } finally {
      node.close();
      db.close();
    }
  }

  @Test
  void aCraftedCalendarIsRefusedAndItsCodeNeverRuns() throws Exception {
    // Quartz reads a calendar whenever a trigger that names it fires or misfires; here the
    // scheduler's own lookup reads it at once.
    sql(
        "INSERT INTO QRTZ_CALENDARS (SCHED_NAME, CALENDAR_NAME, CALENDAR) VALUES (?, 'crafted', ?)",
        JobRunRepository.SCHEDULER_NAME,
        serialised(new Tripwire()));

    assertThatThrownBy(() -> node.jobs().platform().scheduler().getCalendar("crafted"))
        .hasRootCauseInstanceOf(InvalidClassException.class)
        .rootCause()
        .hasMessageContaining("REJECTED");
    assertThat(Tripwire.TRIPPED).as("the crafted object's readObject ran").isFalse();
  }

  private static byte[] serialised(Object object) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  private void sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = db.connect();
        PreparedStatement sql = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        sql.setObject(i + 1, parameters[i]);
      }
      sql.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  /** Stands for a gadget: its code runs as soon as it is deserialised, if it ever is. */
  static final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean TRIPPED = new AtomicBoolean();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      TRIPPED.set(true);
      in.defaultReadObject();
    }
  }
}
