package dev.tokenpool.testing;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.SettingSource;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import java.io.IOException;
import java.time.Clock;

/**
 * A tokenpool node in a JVM of its own, for cluster tests: configured by system properties, it
 * prints {@code READY} once started and stops cleanly when its standard input closes.
 */
public final class ForkedNodeMain {

  private ForkedNodeMain() {}

  public static void main(String[] args) throws IOException {
    TokenPoolConfig config = TokenPoolConfig.from(SettingSource.systemProperties());
    TokenPoolNode node =
        TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + config.nodeId());
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the parent to close our standard input
    }
    System.exit(0);
  }
}
