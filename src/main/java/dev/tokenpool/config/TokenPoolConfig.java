package dev.tokenpool.config;

import dev.tokenpool.logging.LogFormat;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Every setting of a tokenpool node, read once at startup and validated, grouped by concern; an
 * invalid value stops startup with a message that names the setting. See docs/configuration.md.
 */
public final class TokenPoolConfig {

  public static final String NODE_ID = "TOKENPOOL_NODE_ID";

  private static final Pattern NODE_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String nodeId;
  private final LogFormat logFormat;
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
    String format = settings.text(LogFormat.SETTING, LogFormat.TEXT.value());
    this.logFormat =
        LogFormat.named(format)
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        LogFormat.SETTING, "'" + format + "' must be json or text"));
    this.scheduler = SchedulerSettings.from(settings);
    this.logins = OperatorLogins.from(settings);
    this.clients = ClientSettings.from(settings, database.dataDir());
  }

  /**
   * As {@link #from(SettingSource)}, telling {@code reads} of every setting read and its default
   * (docs/configuration.md is checked against this).
   */
  static TokenPoolConfig from(SettingSource source, BiConsumer<String, Object> reads) {
    return new TokenPoolConfig(new Settings(Objects.requireNonNull(source, "source"), reads));
  }

  /** Reads and validates every setting from the given source. */
  public static TokenPoolConfig from(SettingSource source) {
    return new TokenPoolConfig(new Settings(Objects.requireNonNull(source, "source")));
  }

  /** This node's id in the cluster, in metrics and in JMX names. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * How the log is written. logback reads the setting itself (from a system property or the
   * environment only); reading it here refuses an unknown value at startup.
   */
  public LogFormat logFormat() {
    return logFormat;
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
