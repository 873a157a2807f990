package dev.tokenpool.tokens;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;

/** Waiting activations on MariaDB, the MySQL-compatible server of a cluster. */
final class WaitingOnMariaDbIT extends WaitingContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbServer.createDatabase("waiting");
  }
}
