package dev.tokenpool.tokens;

import dev.tokenpool.testing.TestDatabase;

/** Named pools on embedded H2. */
final class NamedPoolsOnH2IT extends NamedPoolsContract {

  @Override
  TestDatabase newDatabase() {
    return TestDatabase.h2InMemory("pools");
  }
}
