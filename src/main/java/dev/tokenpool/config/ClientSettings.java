package dev.tokenpool.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How clients of the token API prove who they are, and how much each may ask.
 *
 * @param oidc the identity provider whose tokens are accepted; empty: API keys only
 * @param rate requests per second one client may send to the token API, on each node
 * @param burst how many requests a client may send at once after a quiet spell
 * @param failedLoginLimit failed or missing logins per minute from one address before it is refused
 *     with 429
 * @param apiKeyCache how long a node trusts what it read of an API key: a revoked key is refused by
 *     every node at most this long after its deletion
 * @param initialApiKeyFile where a fresh embedded node writes the API key it creates at its first
 *     start (mode 600)
 */
public record ClientSettings(
    Optional<OidcSettings> oidc,
    int rate,
    int burst,
    int failedLoginLimit,
    Duration apiKeyCache,
    Path initialApiKeyFile) {

  // The settings of this concern: their names, then their defaults.
  public static final String CLIENT_RATE = "TOKENPOOL_CLIENT_RATE";
  public static final String CLIENT_BURST = "TOKENPOOL_CLIENT_BURST";
  public static final String FAILED_LOGIN_LIMIT = "TOKENPOOL_FAILED_LOGIN_LIMIT";
  public static final String API_KEY_CACHE = "TOKENPOOL_API_KEY_CACHE";
  public static final String INITIAL_API_KEY_FILE = "TOKENPOOL_INITIAL_API_KEY_FILE";

  public static final int DEFAULT_RATE = 100;
  public static final int DEFAULT_FAILED_LOGIN_LIMIT = 30;
  public static final Duration DEFAULT_API_KEY_CACHE = Duration.ofSeconds(5);
  public static final String INITIAL_API_KEY_FILE_NAME = "initial-api-key";

  static ClientSettings from(Settings settings, Path dataDir) {
    int rate = settings.integer(CLIENT_RATE, DEFAULT_RATE, 1, 1_000_000);
    return new ClientSettings(
        OidcSettings.from(settings),
        rate,
        settings.integer(CLIENT_BURST, Math.max(rate * 2, 10), 1, 10_000_000),
        settings.integer(FAILED_LOGIN_LIMIT, DEFAULT_FAILED_LOGIN_LIMIT, 1, 1_000_000),
        settings.duration(
            API_KEY_CACHE, DEFAULT_API_KEY_CACHE, Duration.ZERO, Duration.ofMinutes(10)),
        settings.path(INITIAL_API_KEY_FILE, dataDir.resolve(INITIAL_API_KEY_FILE_NAME)));
  }
}
