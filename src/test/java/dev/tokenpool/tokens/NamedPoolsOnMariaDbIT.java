package dev.tokenpool.tokens;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;

/** Named pools on a real MariaDB server. */
final class NamedPoolsOnMariaDbIT extends NamedPoolsContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbServer.createDatabase("pools");
  }
}
