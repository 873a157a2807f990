package dev.tokenpool.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting of a tokenpool node, read once at startup and validated; an invalid value stops
 * startup with a message that names the setting. See docs/configuration.md for the table.
 */
public final class TokenPoolConfig {

  public static final int DEFAULT_POOL_SIZE = 100;
  public static final int MAX_POOL_SIZE = 1_000_000;
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(2);
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_DB_MAX_CONNECTIONS = 10;
  public static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLUSTER_CHECKIN_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RUN_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DB_STARTUP_WAIT = Duration.ofSeconds(60);
  /** Upper bound of the derived misfire threshold (half the shortest job interval). */
  public static final Duration MAX_DERIVED_MISFIRE_THRESHOLD = Duration.ofSeconds(10);

  public static final String DB_URL = "TOKENPOOL_DB_URL";
  public static final String DB_USER = "TOKENPOOL_DB_USER";
  public static final String DB_PASSWORD = "TOKENPOOL_DB_PASSWORD";
  public static final String DB_MAX_CONNECTIONS = "TOKENPOOL_DB_MAX_CONNECTIONS";
  public static final String DATA_DIR = "TOKENPOOL_DATA_DIR";
  public static final String POOL_SIZE = "TOKENPOOL_POOL_SIZE";
  public static final String TOKEN_LIFETIME = "TOKENPOOL_TOKEN_LIFETIME";
  public static final String NODE_ID = "TOKENPOOL_NODE_ID";
  public static final String EXPIRY_INTERVAL = "TOKENPOOL_EXPIRY_INTERVAL";
  public static final String CLUSTER_CHECKIN_INTERVAL = "TOKENPOOL_CLUSTER_CHECKIN_INTERVAL";
  public static final String MISFIRE_THRESHOLD = "TOKENPOOL_MISFIRE_THRESHOLD";
  public static final String RUN_RETENTION = "TOKENPOOL_RUN_RETENTION";
  public static final String PRUNE_INTERVAL = "TOKENPOOL_PRUNE_INTERVAL";
  public static final String EXPIRY_RUN_DELAY = "TOKENPOOL_EXPIRY_RUN_DELAY";
  public static final String REQUEST_DEADLINE = "TOKENPOOL_REQUEST_DEADLINE";
  public static final String DB_STARTUP_WAIT = "TOKENPOOL_DB_STARTUP_WAIT";
  public static final String SCHEDULER_ENABLED = "TOKENPOOL_SCHEDULER_ENABLED";
  public static final String ADMIN_USER = "TOKENPOOL_ADMIN_USER";
  public static final String ADMIN_PASSWORD = "TOKENPOOL_ADMIN_PASSWORD";
  public static final String MONITOR_USER = "TOKENPOOL_MONITOR_USER";
  public static final String MONITOR_PASSWORD = "TOKENPOOL_MONITOR_PASSWORD";

  private static final Pattern NODE_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Optional<String> dbUrl;
  private final Optional<String> dbUser;
  private final Optional<String> dbPassword;
  private final int dbMaxConnections;
  private final Path dataDir;
  private final int poolSize;
  private final Duration tokenLifetime;
  private final String nodeId;
  private final Duration expiryInterval;
  private final Duration clusterCheckinInterval;
  private final Duration misfireThreshold;
  private final Duration runRetention;
  private final Duration pruneInterval;
  private final Duration expiryRunDelay;
  private final Duration requestDeadline;
  private final Duration dbStartupWait;
  private final boolean schedulerEnabled;
  private final String adminUser;
  private final Optional<String> adminPassword;
  private final String monitorUser;
  private final Optional<String> monitorPassword;

  private TokenPoolConfig(Settings settings) {
    this.dbUrl = settings.text(DB_URL);
    this.dbUser = settings.text(DB_USER);
    this.dbPassword = settings.secret(DB_PASSWORD);
    this.dbMaxConnections =
        settings.integer(DB_MAX_CONNECTIONS, DEFAULT_DB_MAX_CONNECTIONS, 2, 500);
    this.dataDir = settings.path(DATA_DIR, DEFAULT_DATA_DIR);
    this.poolSize = settings.integer(POOL_SIZE, DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE);
    this.tokenLifetime =
        settings.duration(
            TOKEN_LIFETIME, DEFAULT_TOKEN_LIFETIME, Duration.ofSeconds(1), Duration.ofDays(1));
    this.nodeId = settings.text(NODE_ID).orElseGet(TokenPoolConfig::defaultNodeId);
    this.expiryInterval =
        settings.duration(
            EXPIRY_INTERVAL, DEFAULT_EXPIRY_INTERVAL, Duration.ofSeconds(1), Duration.ofHours(1));
    this.clusterCheckinInterval =
        settings.duration(
            CLUSTER_CHECKIN_INTERVAL,
            DEFAULT_CLUSTER_CHECKIN_INTERVAL,
            Duration.ofMillis(500),
            Duration.ofMinutes(5));
    this.runRetention =
        settings.duration(RUN_RETENTION, DEFAULT_RUN_RETENTION, Duration.ofMinutes(1), Duration.ofDays(3650));
    this.pruneInterval =
        settings.duration(PRUNE_INTERVAL, DEFAULT_PRUNE_INTERVAL, Duration.ofSeconds(1), Duration.ofDays(1));
    Duration derivedThreshold = expiryInterval.compareTo(pruneInterval) <= 0 ? expiryInterval : pruneInterval;
    derivedThreshold = derivedThreshold.dividedBy(2);
    if (derivedThreshold.compareTo(MAX_DERIVED_MISFIRE_THRESHOLD) > 0) {
      derivedThreshold = MAX_DERIVED_MISFIRE_THRESHOLD;
    }
    this.misfireThreshold =
        settings.duration(MISFIRE_THRESHOLD, derivedThreshold, Duration.ofMillis(100), Duration.ofMinutes(10));
    this.expiryRunDelay =
        settings.duration(EXPIRY_RUN_DELAY, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10));
    this.requestDeadline =
        settings.duration(
            REQUEST_DEADLINE, DEFAULT_REQUEST_DEADLINE, Duration.ofSeconds(1), Duration.ofMinutes(1));
    this.dbStartupWait =
        settings.duration(DB_STARTUP_WAIT, DEFAULT_DB_STARTUP_WAIT, Duration.ZERO, Duration.ofHours(1));
    this.schedulerEnabled = settings.bool(SCHEDULER_ENABLED, true);
    this.adminUser = settings.text(ADMIN_USER).orElse("admin");
    this.adminPassword = settings.secret(ADMIN_PASSWORD);
    this.monitorUser = settings.text(MONITOR_USER).orElse("monitor");
    this.monitorPassword = settings.secret(MONITOR_PASSWORD);
    if (monitorPassword.isPresent() && adminUser.equals(monitorUser)) {
      throw new InvalidConfigurationException(
          MONITOR_USER, "'" + monitorUser + "' must differ from " + ADMIN_USER);
    }
    requireLogin(ADMIN_USER, adminUser, ADMIN_PASSWORD, adminPassword);
    requireLogin(MONITOR_USER, monitorUser, MONITOR_PASSWORD, monitorPassword);
    if (!NODE_ID_PATTERN.matcher(nodeId).matches()) {
      throw new InvalidConfigurationException(
          NODE_ID, "'" + nodeId + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (dbUrl.isPresent() && !dbUrl.get().startsWith("jdbc:")) {
      throw new InvalidConfigurationException(
          DB_URL, "'" + redacted(dbUrl.get()) + "' is not a JDBC URL");
    }
    if (dbUrl.isPresent() && dbUrl.get().startsWith("jdbc:mariadb:")) {
      // Only MySQL Connector/J is on the class path; it talks to MariaDB as well.
      throw new InvalidConfigurationException(
          DB_URL,
          "jdbc:mariadb: URLs are not supported; write the same address as jdbc:mysql://host:port/database"
              + " (MySQL Connector/J serves MariaDB too)");
    }
  }

  /** A user name HTTP Basic can carry, and a password long enough to resist guessing. */
  private static void requireLogin(
      String userSetting, String user, String passwordSetting, Optional<String> password) {
    if (user.contains(":")) {
      throw new InvalidConfigurationException(userSetting, "'" + user + "' must not contain ':'");
    }
    if (password.isPresent() && password.get().length() < 12) {
      throw new InvalidConfigurationException(passwordSetting, "must be at least 12 characters");
    }
  }

  /** Reads and validates every setting from the given source. */
  public static TokenPoolConfig from(SettingSource source) {
    return new TokenPoolConfig(new Settings(Objects.requireNonNull(source, "source")));
  }

  /** An external database URL; empty means the embedded H2 database under {@link #dataDir()}. */
  public Optional<String> dbUrl() {
    return dbUrl;
  }

  public Optional<String> dbUser() {
    return dbUser;
  }

  public Optional<String> dbPassword() {
    return dbPassword;
  }

  public int dbMaxConnections() {
    return dbMaxConnections;
  }

  public Path dataDir() {
    return dataDir;
  }

  public int poolSize() {
    return poolSize;
  }

  public Duration tokenLifetime() {
    return tokenLifetime;
  }

  public String nodeId() {
    return nodeId;
  }

  /** How often the expiry job runs. */
  public Duration expiryInterval() {
    return expiryInterval;
  }

  /** How often each node checks in with the cluster; failure detection takes this plus 7.5 s. */
  public Duration clusterCheckinInterval() {
    return clusterCheckinInterval;
  }

  /** How late a fire may be before Quartz counts it as misfired and applies its policy. */
  public Duration misfireThreshold() {
    return misfireThreshold;
  }

  /** How long job run history is kept. */
  public Duration runRetention() {
    return runRetention;
  }

  /** How often old job run history is pruned. */
  public Duration pruneInterval() {
    return pruneInterval;
  }

  /**
   * For failure drills only: how long each expiry run waits after recording its start and before
   * ending anything, so a test can kill or freeze the node mid-run. Zero in production.
   */
  public Duration expiryRunDelay() {
    return expiryRunDelay;
  }

  /**
   * How long a request may keep retrying transient conflicts (locks held by others, deadlocks,
   * unique-key races) before it is answered 503.
   */
  public Duration requestDeadline() {
    return requestDeadline;
  }

  /** How long a starting node waits for a database it cannot reach before it gives up. */
  public Duration dbStartupWait() {
    return dbStartupWait;
  }

  /** Whether this node runs a member of the clustered scheduler (an API-only node does not). */
  public boolean schedulerEnabled() {
    return schedulerEnabled;
  }

  public String adminUser() {
    return adminUser;
  }

  /** The admin's password; empty means the node generates one at startup and logs it once. */
  public Optional<String> adminPassword() {
    return adminPassword;
  }

  public String monitorUser() {
    return monitorUser;
  }

  /** The read-only monitor's password; empty means no monitor login. */
  public Optional<String> monitorPassword() {
    return monitorPassword;
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    // The random part keeps ids apart where host and pid repeat (containers on the host network
    // all run as pid 1 on the same host name): Quartz would take the other node's fires for its own.
    String suffix =
        "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + randomHex(6);
    String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
    return (cleaned.length() > 64 - suffix.length() ? cleaned.substring(0, 64 - suffix.length()) : cleaned)
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

  /** A JDBC URL with any password parameter or user-info password masked, fit for logs. */
  public static String redacted(String jdbcUrl) {
    return jdbcUrl
        .replaceAll("(?i)(password[^=&;]*=)[^&;]*", "$1***")
        .replaceAll("([^/@:]*:)[^/@:]*@", "$1***@");
  }

  @Override
  public String toString() {
    // Never print the password.
    return "TokenPoolConfig{db="
        + dbUrl.map(TokenPoolConfig::redacted).orElse("embedded H2 in " + dataDir)
        + ", poolSize="
        + poolSize
        + ", tokenLifetime="
        + tokenLifetime
        + ", requestDeadline="
        + requestDeadline
        + ", nodeId="
        + nodeId
        + ", expiryInterval="
        + expiryInterval
        + ", clusterCheckinInterval="
        + clusterCheckinInterval
        + ", misfireThreshold="
        + misfireThreshold
        + "}";
  }
}
