package dev.tokenpool.tokens;

import dev.tokenpool.testing.TestDatabase;

/** The token pool's rules on the embedded H2 database, the default for a single node. */
final class TokenServiceOnH2IT extends TokenServiceContract {

  @Override
  TestDatabase newDatabase() {
    return TestDatabase.h2InMemory("contract");
  }
}
