package dev.tokenpool.tokens;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;

/** Activations under concurrency on MariaDB, the MySQL-compatible server of a cluster. */
final class ConcurrentActivationOnMariaDbIT extends ConcurrentActivationContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbServer.createDatabase("concurrency");
  }
}
