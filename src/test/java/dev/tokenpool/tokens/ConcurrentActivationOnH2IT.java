package dev.tokenpool.tokens;

import dev.tokenpool.testing.TestDatabase;

/** Activations under concurrency on the embedded H2 database, the default for a single node. */
final class ConcurrentActivationOnH2IT extends ConcurrentActivationContract {

  @Override
  TestDatabase newDatabase() {
    return TestDatabase.h2InMemory("concurrency");
  }
}
