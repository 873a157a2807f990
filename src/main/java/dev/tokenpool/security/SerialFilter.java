package dev.tokenpool.security;

import java.io.ObjectInputFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide filter on Java deserialisation. Two things in a node deserialise what others wrote:
 * Quartz reads BLOB triggers and calendars from its tables (whoever can write the database could
 * otherwise run code on every node), and remote JMX reads its clients' arguments. tokenpool itself
 * stores no serialised objects (Quartz job data is kept as properties), so the filter allows only
 * what JMX over RMI sends, within size limits, and rejects every other class.
 *
 * <p>A filter the operator set with {@code -Djdk.serialFilter} wins and is left alone. Ours is the
 * JDK's own pattern filter, so installing it from the web application pins none of its classes.
 */
public final class SerialFilter {

  private static final Logger log = LoggerFactory.getLogger(SerialFilter.class);

  /** Limits first, then allowed packages ({@code .*}: that package, not its sub-packages). */
  public static final String PATTERN =
      String.join(
          ";",
          "maxdepth=20",
          "maxrefs=100000",
          "maxarray=1000000",
          "maxbytes=8388608",
          "java.lang.*",
          "java.util.*",
          "java.time.*",
          "java.math.*",
          "java.rmi.*",
          "java.rmi.dgc.*",
          "java.rmi.server.*",
          "sun.rmi.server.*",
          "sun.rmi.transport.*",
          "javax.management.*",
          "javax.management.openmbean.*",
          "javax.management.remote.*",
          "javax.management.remote.rmi.*",
          "javax.security.auth.Subject",
          "!*");

  private SerialFilter() {}

  /** Installs the filter unless the JVM already has one; says which is in force. */
  public static synchronized void install() {
    ObjectInputFilter current = ObjectInputFilter.Config.getSerialFilter();
    if (current == null) {
      ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(PATTERN));
      log.info("Java deserialisation is limited JVM-wide to the classes JMX needs");
    } else if (!PATTERN.equals(current.toString())) {
      log.info("Java deserialisation follows the JVM's own filter: {}", current);
    }
  }
}
