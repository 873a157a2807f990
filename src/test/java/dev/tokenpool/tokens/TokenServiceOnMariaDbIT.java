package dev.tokenpool.tokens;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;

/** The token pool's rules on a real MariaDB server, as a cluster of nodes uses it. */
final class TokenServiceOnMariaDbIT extends TokenServiceContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbServer.createDatabase("contract");
  }
}
