package dev.tokenpool.tokens;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;

/** Leases on MariaDB, the MySQL-compatible server of a cluster. */
final class LeasesOnMariaDbIT extends LeaseContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbServer.createDatabase("leases");
  }
}
