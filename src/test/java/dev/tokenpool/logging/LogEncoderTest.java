package dev.tokenpool.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogEncoderTest {

  private final LoggerContext context = new LoggerContext();

  LogEncoderTest() {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
  }

  private String line(String format) {
    LogEncoder encoder = new LogEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.setPattern("%level %logger - %msg%n");
    encoder.start();
    Logger logger = context.getLogger("dev.tokenpool.Test");
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "hello", null, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void textIsThePattern() {
    assertThat(line("text")).isEqualTo("WARN dev.tokenpool.Test - hello\n");
  }

  @Test
  void jsonIsOneObjectPerLineInAnyCase() throws Exception {
    assertThat(new ObjectMapper().readTree(line(" JSON ")).get("message").asText())
        .isEqualTo("hello");
  }

  @Test
  void anUnknownFormatWritesTextAndReportsAnErrorThatNamesTheSetting() {
    assertThat(line("xml")).isEqualTo("WARN dev.tokenpool.Test - hello\n");

    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(
            status -> {
              assertThat(status.getLevel()).isEqualTo(Status.ERROR);
              assertThat(status.getMessage()).contains("TOKENPOOL_LOG_FORMAT='xml'");
            });
  }
}
