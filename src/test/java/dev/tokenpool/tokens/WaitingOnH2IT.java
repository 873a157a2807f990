package dev.tokenpool.tokens;

import dev.tokenpool.testing.TestDatabase;

/** Waiting activations on the embedded H2 database. */
final class WaitingOnH2IT extends WaitingContract {

  @Override
  TestDatabase newDatabase() {
    return TestDatabase.h2InMemory("waiting");
  }
}
