package dev.tokenpool.testing;

import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.TokenPoolConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Builds a node configuration for tests, fluently, on a given test database. */
public final class NodeSettings {

  private final Map<String, String> values = new HashMap<>();

  private NodeSettings() {}

  public static NodeSettings on(TestDatabase database) {
    return new NodeSettings()
        .with(DatabaseSettings.DB_URL, database.url())
        .with(DatabaseSettings.DB_USER, database.user())
        .with(DatabaseSettings.DB_PASSWORD, database.password());
  }

  public NodeSettings with(String name, String value) {
    values.put(name, value);
    return this;
  }

  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }

  public TokenPoolConfig config() {
    Map<String, String> copy = asMap();
    return TokenPoolConfig.from(name -> Optional.ofNullable(copy.get(name)));
  }
}
