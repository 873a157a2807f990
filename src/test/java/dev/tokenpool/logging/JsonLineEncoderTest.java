package dev.tokenpool.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "tpk_" + "Q2hhbmdlTWVQbGVhc2VJdElzQVRlc3RLZXlPbmx5MTIzNDU";

  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("dev.tokenpool.tokens.TokenService");
  private final JsonLineEncoder encoder = new JsonLineEncoder();

  JsonLineEncoderTest() {
    encoder.setContext(context);
    encoder.start();
  }

  private LoggingEvent event(String message, Throwable thrown, Map<String, String> mdc) {
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, thrown, null);
    event.setThreadName("http-nio-8080-exec-1");
    event.setInstant(Instant.parse("2026-12-07T09:30:00.123456Z"));
    event.setMDCPropertyMap(mdc);
    return event;
  }

  private String encoded(LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private JsonNode parsed(LoggingEvent event) throws Exception {
    return JSON.readTree(encoded(event));
  }

  @Test
  void writesOneObjectOnOneLineWithTheCommonFieldsAndEveryMdcKeyFlat() throws Exception {
    context.putProperty(LogFields.NODE, "node-a");
    LoggingEvent event =
        event(
            "Activated {} for {}",
            null,
            Map.of(
                LogFields.REQUEST_ID,
                "r-1",
                LogFields.PRINCIPAL,
                "key/billing",
                "trace_id",
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "span_id",
                "00f067aa0ba902b7"));
    event.setArgumentArray(new Object[] {"token-7", "alice"});

    String line = encoded(event);

    assertThat(line).endsWith("}\n").doesNotContain("\n}").hasLineCount(1);
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("time").asText()).isEqualTo("2026-12-07T09:30:00.123Z");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("thread").asText()).isEqualTo("http-nio-8080-exec-1");
    assertThat(json.get("logger").asText()).isEqualTo("dev.tokenpool.tokens.TokenService");
    assertThat(json.get("message").asText()).isEqualTo("Activated token-7 for alice");
    assertThat(json.get("node").asText()).isEqualTo("node-a");
    assertThat(json.get("request_id").asText()).isEqualTo("r-1");
    assertThat(json.get("principal").asText()).isEqualTo("key/billing");
    assertThat(json.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(json.has("throwable")).isFalse();
  }

  @Test
  void theNodeOfTheLinesMdcWinsOverTheProcessesAndNoMdcKeyHidesALineField() throws Exception {
    context.putProperty(LogFields.NODE, "node-a");

    JsonNode json =
        parsed(
            event(
                "real",
                null,
                Map.of(LogFields.NODE, "node-b", "message", "forged", "level", "ERROR")));

    assertThat(json.get("node").asText()).isEqualTo("node-b");
    assertThat(json.get("message").asText()).isEqualTo("real");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void aLineWithoutNodeOrMdcHasOnlyItsOwnFields() throws Exception {
    JsonNode json = parsed(event("started", null, Map.of()));

    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("time", "level", "thread", "logger", "message");
  }

  @Test
  void quotesBackslashesLineBreaksAndControlCharactersCannotBreakTheLine() throws Exception {
    String nasty = "a \"quoted\" \\path\\ \n{\"level\":\"ERROR\"}\r\t\u0001\u2028end";

    String line = encoded(event(nasty, null, Map.of("user_id", nasty)));

    assertThat(line).hasLineCount(1);
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("message").asText()).isEqualTo(nasty);
    assertThat(json.get("user_id").asText()).isEqualTo(nasty);
    assertThat(json.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void anExceptionIsAnArrayOfLinesWithItsCauses() throws Exception {
    IllegalStateException failure =
        new IllegalStateException("outer", new java.io.IOException("the \"cause\""));

    JsonNode json = parsed(event("failed", failure, Map.of()));

    JsonNode lines = json.get("throwable");
    assertThat(lines.isArray()).isTrue();
    assertThat(lines.get(0).asText()).isEqualTo("java.lang.IllegalStateException: outer");
    assertThat(lines.get(1).asText()).startsWith(" at dev.tokenpool.logging.JsonLineEncoderTest");
    List<String> texts = new ArrayList<>();
    lines.forEach(line -> texts.add(line.asText()));
    assertThat(texts).contains("Caused by: java.io.IOException: the \"cause\"");
  }

  @Test
  void aCredentialInAMessageAnMdcValueOrAnExceptionIsRedacted() {
    IllegalArgumentException failure = new IllegalArgumentException("bad key " + KEY);

    String line =
        encoded(
            event(
                "Authorization: Bearer " + KEY + " and Basic YWRtaW46c2VjcmV0LXBhc3N3b3Jk",
                failure,
                Map.of(
                    "x",
                    "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl",
                    "session",
                    "tps_" + KEY.substring(4))));

    assertThat(line)
        .doesNotContain(KEY.substring(4))
        .doesNotContain("YWRtaW46c2VjcmV0LXBhc3N3b3Jk")
        .doesNotContain("eyJzdWIiOiJhbGljZSJ9")
        .contains("Bearer tpk_[redacted]")
        .contains("Basic [redacted]")
        .contains("tpk_[redacted]")
        .contains("tps_[redacted]");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    assertThat(Redaction.scrub("basic pool size 5; bearer of news; tpk_ prefix"))
        .isEqualTo("basic pool size 5; bearer of news; tpk_ prefix");
  }
}
