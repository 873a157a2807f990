package dev.tokenpool.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every setting of a tokenpool node, read once at startup and validated, grouped by concern; an
 * invalid value stops startup with a message that names the setting. See docs/configuration.md.
 */
public final class TokenPoolConfig {

  public static final int DEFAULT_POOL_SIZE = 100;
  public static final int MAX_POOL_SIZE = 1_000_000;
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(2);
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_DB_MAX_CONNECTIONS = 10;
  public static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLUSTER_CHECKIN_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SCHEDULER_STOP_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RUN_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);
  public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DB_STARTUP_WAIT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_LEASE_MIN = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofHours(1);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofMinutes(15);

  /** The default longest lease, in lifetimes: a lease of 20 minutes with the default lifetime. */
  public static final int DEFAULT_LEASE_MAX_LIFETIMES = 10;

  public static final String DB_URL = "TOKENPOOL_DB_URL";
  public static final String DB_USER = "TOKENPOOL_DB_USER";
  public static final String DB_PASSWORD = "TOKENPOOL_DB_PASSWORD";
  public static final String DB_MIGRATION_USER = "TOKENPOOL_DB_MIGRATION_USER";
  public static final String DB_MIGRATION_PASSWORD = "TOKENPOOL_DB_MIGRATION_PASSWORD";
  public static final String DB_MAX_CONNECTIONS = "TOKENPOOL_DB_MAX_CONNECTIONS";
  public static final String DATA_DIR = "TOKENPOOL_DATA_DIR";
  public static final String POOL_SIZE = "TOKENPOOL_POOL_SIZE";
  public static final String TOKEN_LIFETIME = "TOKENPOOL_TOKEN_LIFETIME";
  public static final String LEASE_MIN = "TOKENPOOL_LEASE_MIN";
  public static final String LEASE_MAX = "TOKENPOOL_LEASE_MAX";
  public static final String MAX_HOLD = "TOKENPOOL_MAX_HOLD";
  public static final String MAX_WAIT = "TOKENPOOL_MAX_WAIT";
  public static final String EVENT_RETENTION = "TOKENPOOL_EVENT_RETENTION";
  public static final String NODE_ID = "TOKENPOOL_NODE_ID";
  public static final String EXPIRY_INTERVAL = "TOKENPOOL_EXPIRY_INTERVAL";
  public static final String CLUSTER_CHECKIN_INTERVAL = "TOKENPOOL_CLUSTER_CHECKIN_INTERVAL";
  public static final String MISFIRE_THRESHOLD = "TOKENPOOL_MISFIRE_THRESHOLD";
  public static final String RUN_RETENTION = "TOKENPOOL_RUN_RETENTION";
  public static final String HISTORY_RETENTION = "TOKENPOOL_HISTORY_RETENTION";
  public static final String PRUNE_INTERVAL = "TOKENPOOL_PRUNE_INTERVAL";
  public static final String EXPIRY_RUN_DELAY = "TOKENPOOL_EXPIRY_RUN_DELAY";
  public static final String REQUEST_DEADLINE = "TOKENPOOL_REQUEST_DEADLINE";
  public static final String DB_STARTUP_WAIT = "TOKENPOOL_DB_STARTUP_WAIT";
  public static final String SCHEDULER_ENABLED = "TOKENPOOL_SCHEDULER_ENABLED";
  public static final String SCHEDULER_STOP_WAIT = "TOKENPOOL_SCHEDULER_STOP_WAIT";
  public static final String ADMIN_USER = "TOKENPOOL_ADMIN_USER";
  public static final String ADMIN_PASSWORD = "TOKENPOOL_ADMIN_PASSWORD";
  public static final String MONITOR_USER = "TOKENPOOL_MONITOR_USER";
  public static final String MONITOR_PASSWORD = "TOKENPOOL_MONITOR_PASSWORD";
  public static final String OIDC_ISSUER = "TOKENPOOL_OIDC_ISSUER";
  public static final String OIDC_AUDIENCE = "TOKENPOOL_OIDC_AUDIENCE";
  public static final String OIDC_CLOCK_SKEW = "TOKENPOOL_OIDC_CLOCK_SKEW";
  public static final String OIDC_SCOPE_CLAIM = "TOKENPOOL_OIDC_SCOPE_CLAIM";
  public static final String OIDC_HOLDER_SCOPE = "TOKENPOOL_OIDC_HOLDER_SCOPE";
  public static final String OIDC_SERVICE_SCOPE = "TOKENPOOL_OIDC_SERVICE_SCOPE";
  public static final String OIDC_OPERATOR_SCOPE = "TOKENPOOL_OIDC_OPERATOR_SCOPE";
  public static final String OIDC_JWKS_REFRESH_INTERVAL = "TOKENPOOL_OIDC_JWKS_REFRESH_INTERVAL";
  public static final String OIDC_CONSOLE_CLIENT_ID = "TOKENPOOL_OIDC_CONSOLE_CLIENT_ID";
  public static final String OIDC_CONSOLE_SCOPE = "TOKENPOOL_OIDC_CONSOLE_SCOPE";
  public static final String OIDC_CONSOLE_PARAMETERS = "TOKENPOOL_OIDC_CONSOLE_PARAMETERS";
  public static final String CLIENT_RATE = "TOKENPOOL_CLIENT_RATE";
  public static final String CLIENT_BURST = "TOKENPOOL_CLIENT_BURST";
  public static final String FAILED_LOGIN_LIMIT = "TOKENPOOL_FAILED_LOGIN_LIMIT";
  public static final String API_KEY_CACHE = "TOKENPOOL_API_KEY_CACHE";
  public static final String INITIAL_API_KEY_FILE = "TOKENPOOL_INITIAL_API_KEY_FILE";

  private static final Pattern NODE_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String nodeId;
  private final DatabaseSettings database;
  private final PoolSettings pool;
  private final SchedulerSettings scheduler;
  private final OperatorLogins logins;
  private final ClientSettings clients;

  private TokenPoolConfig(Settings settings) {
    this.database = DatabaseSettings.from(settings);
    this.pool = PoolSettings.from(settings);
    this.nodeId = settings.text(NODE_ID).orElseGet(TokenPoolConfig::defaultNodeId);
    if (!NODE_ID_PATTERN.matcher(nodeId).matches()) {
      throw new InvalidConfigurationException(
          NODE_ID, "'" + nodeId + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    this.scheduler = SchedulerSettings.from(settings);
    this.logins = OperatorLogins.from(settings);
    this.clients = ClientSettings.from(settings, database.dataDir());
  }

  /** Reads and validates every setting from the given source. */
  public static TokenPoolConfig from(SettingSource source) {
    return new TokenPoolConfig(new Settings(Objects.requireNonNull(source, "source")));
  }

  /** This node's id in the cluster, in metrics and in JMX names. */
  public String nodeId() {
    return nodeId;
  }

  public DatabaseSettings database() {
    return database;
  }

  public PoolSettings pool() {
    return pool;
  }

  public SchedulerSettings scheduler() {
    return scheduler;
  }

  public OperatorLogins logins() {
    return logins;
  }

  public ClientSettings clients() {
    return clients;
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    // The random part keeps ids apart where host and pid repeat (containers on the host network
    // all run as pid 1 on the same host name): Quartz would take the other node's fires for its
    // own.
    String suffix = "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + randomHex(6);
    String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
    return (cleaned.length() > 64 - suffix.length()
            ? cleaned.substring(0, 64 - suffix.length())
            : cleaned)
        + suffix;
  }

  private static String randomHex(int digits) {
    StringBuilder hex = new StringBuilder();
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (int i = 0; i < digits; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }

  @Override
  public String toString() {
    return "TokenPoolConfig{db="
        + database.describe()
        + ", pool="
        + pool
        + ", nodeId="
        + nodeId
        + ", scheduler="
        + scheduler
        + "}";
  }
}
