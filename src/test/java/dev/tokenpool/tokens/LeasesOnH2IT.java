package dev.tokenpool.tokens;

import dev.tokenpool.testing.TestDatabase;

/** Leases on the embedded H2 database. */
final class LeasesOnH2IT extends LeaseContract {

  @Override
  TestDatabase newDatabase() {
    return TestDatabase.h2InMemory("leases");
  }
}
