package dev.tokenpool.security;

import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per security-relevant act, on the logger {@value #LOGGER}: who (principal and
 * how it authenticated), what, and the outcome, as {@code key=value} pairs that log pipelines
 * parse. Values are quoted and stripped of line breaks, so a crafted name cannot forge a line.
 * Credentials never appear.
 */
public final class AuditLog {

  public static final String LOGGER = "tokenpool.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  /** An act by an authenticated principal; {@code details} are key, value, key, value... */
  public void record(String action, String principal, String via, Object... details) {
    if (log.isInfoEnabled()) {
      log.info(line(action, principal, via, details));
    }
  }

  /** A refused login: the address it came from, the scheme tried and why it failed. */
  public void failedLogin(String address, String scheme, String reason) {
    if (log.isWarnEnabled()) {
      log.warn(line("login-failed", null, scheme, "address", address, "reason", reason));
    }
  }

  static String line(String action, String principal, String via, Object... details) {
    StringJoiner line = new StringJoiner(" ");
    line.add("action=" + action);
    if (principal != null) {
      line.add("principal=" + quoted(principal));
    }
    line.add("via=" + quoted(via));
    for (int i = 0; i + 1 < details.length; i += 2) {
      line.add(details[i] + "=" + quoted(String.valueOf(details[i + 1])));
    }
    return line.toString();
  }

  private static String quoted(String value) {
    String clean =
        value.replaceAll("[\\p{Cntrl}]", "?").replace("\\", "\\\\").replace("\"", "\\\"");
    if (clean.length() > 300) {
      clean = clean.substring(0, 297) + "...";
    }
    return "\"" + clean + "\"";
  }
}
