package dev.tokenpool.testing;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.SettingSource;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import java.io.IOException;

/**
 * A tokenpool node in a JVM of its own, for cluster tests: configured by system properties, it
 * prints {@code READY} once started and stops cleanly when its standard input closes. With {@code
 * test.load.threads} it also puts a lease load on the pool itself ({@link LeaseLoad}).
 */
public final class ForkedNodeMain {

  private ForkedNodeMain() {}

  public static void main(String[] args) throws IOException {
    TokenPoolConfig config = TokenPoolConfig.from(SettingSource.systemProperties());
    TokenPoolNode node = TokenPoolNode.start(config, Database.open(config.database()));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    int loadThreads = Integer.getInteger("test.load.threads", 0);
    LeaseLoad load = loadThreads > 0 ? LeaseLoad.start(node.tokenService(), loadThreads) : null;
    System.out.println("READY " + config.nodeId());
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the parent to close our standard input
    }
    if (load != null) {
      System.out.println("LOAD " + load.stop());
      System.out.flush();
    }
    System.exit(0);
  }
}
