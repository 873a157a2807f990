package dev.tokenpool.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per event, on one line: {@code time} (UTC, milliseconds), {@code level}, {@code
 * thread}, {@code logger}, {@code message}, then {@code node} and every MDC key as a flat field of
 * its own ({@code request_id}, {@code principal}, {@code job_run_id}, and {@code trace_id}/{@code
 * span_id} when tracing put them there), SLF4J key-value pairs likewise, and {@code throwable} as
 * an array of lines (the shape of Tomcat's {@code org.apache.juli .JsonFormatter}, whose {@code
 * time}, {@code level}, {@code thread} and {@code message} mean the same). Every text goes through
 * {@link Redaction}.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  /** The same pattern as Tomcat's JsonFormatter, always in UTC (there it is the JVM's zone). */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  /** Fields of the line itself, which an MDC key or key-value pair of the same name cannot hide. */
  private static final Set<String> OWN_FIELDS =
      Set.of("time", "level", "thread", "logger", "message", "throwable");

  private static final byte[] NOTHING = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return line(event).getBytes(StandardCharsets.UTF_8);
  }

  String line(ILoggingEvent event) {
    StringBuilder json = new StringBuilder(256);
    json.append('{');
    field(json, "time", TIME.format(event.getInstant()));
    field(json, "level", event.getLevel().toString());
    field(json, "thread", event.getThreadName());
    field(json, "logger", event.getLoggerName());
    field(json, "message", event.getFormattedMessage());
    Map<String, String> fields = new TreeMap<>();
    String node = getContext() == null ? null : getContext().getProperty(LogFields.NODE);
    if (node != null) {
      fields.put(LogFields.NODE, node);
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach(
          (key, value) -> {
            if (key != null && value != null) {
              fields.put(key, value);
            }
          });
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        if (pair.key != null && pair.value != null) {
          fields.put(pair.key, String.valueOf(pair.value));
        }
      }
    }
    fields.forEach(
        (key, value) -> {
          if (!OWN_FIELDS.contains(key)) {
            field(json, key, value);
          }
        });
    if (event.getThrowableProxy() != null) {
      json.append(",\"throwable\":[");
      throwable(json, event.getThrowableProxy(), "", true);
      json.append(']');
    }
    return json.append("}\n").toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (json.length() > 1) {
      json.append(',');
    }
    string(json, name);
    json.append(':');
    if (value == null) {
      json.append("null");
    } else {
      string(json, Redaction.scrub(value));
    }
  }

  /** The throwable, its causes and suppressed ones, as Java prints them, one string a line. */
  private static void throwable(
      StringBuilder json, IThrowableProxy proxy, String caption, boolean first) {
    if (!first) {
      json.append(',');
    }
    String message = proxy.getMessage();
    string(
        json,
        Redaction.scrub(caption + proxy.getClassName() + (message == null ? "" : ": " + message)));
    StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
    int shown = frames.length - proxy.getCommonFrames();
    for (int i = 0; i < shown; i++) {
      json.append(',');
      string(json, " at " + frames[i].getStackTraceElement());
    }
    if (proxy.getCommonFrames() > 0) {
      json.append(',');
      string(json, " ... " + proxy.getCommonFrames() + " more");
    }
    if (proxy.getSuppressed() != null) {
      for (IThrowableProxy suppressed : proxy.getSuppressed()) {
        throwable(json, suppressed, "Suppressed: ", false);
      }
    }
    if (proxy.getCause() != null) {
      throwable(json, proxy.getCause(), "Caused by: ", false);
    }
  }

  /** A JSON string (RFC 8259): quotation mark, reverse solidus and control characters escaped. */
  static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
