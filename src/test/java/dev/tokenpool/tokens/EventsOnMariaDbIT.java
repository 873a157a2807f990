package dev.tokenpool.tokens;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;

/** Events of holdings on MariaDB, the MySQL-compatible server of a cluster. */
final class EventsOnMariaDbIT extends EventsContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbServer.createDatabase("events");
  }
}
