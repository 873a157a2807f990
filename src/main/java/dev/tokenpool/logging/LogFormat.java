package dev.tokenpool.logging;

import java.util.Locale;
import java.util.Optional;

/**
 * How a node writes its log lines ({@value #SETTING}): {@code text}, one readable line per event
 * (the default, for the quick start), or {@code json}, one JSON object per line (for a log
 * pipeline). deploy/run.sh applies the same choice to Tomcat's own log and to the access log.
 */
public enum LogFormat {
  TEXT,
  JSON;

  public static final String SETTING = "TOKENPOOL_LOG_FORMAT";

  /** The format a value names ({@code text} or {@code json}, any case), or empty for another. */
  public static Optional<LogFormat> named(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> Optional.of(TEXT);
      case "json" -> Optional.of(JSON);
      default -> Optional.empty();
    };
  }

  /** The value that names this format. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
