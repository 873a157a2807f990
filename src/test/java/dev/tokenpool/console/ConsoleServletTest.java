package dev.tokenpool.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleServletTest {

  private static final String ETAG = "\"0123456789abcdef01234567\"";

  @Test
  void aConditionalRequestMatchesItsETagInEveryFormACacheMaySend() {
    assertThat(ConsoleServlet.matches(ETAG, ETAG)).isTrue();
    assertThat(ConsoleServlet.matches("W/" + ETAG, ETAG)).as("weak, as proxies send it").isTrue();
    assertThat(ConsoleServlet.matches("\"other\", " + ETAG, ETAG)).as("in a list").isTrue();
    assertThat(ConsoleServlet.matches("*", ETAG)).isTrue();
  }

  @Test
  void anotherOrNoETagDoesNotMatch() {
    assertThat(ConsoleServlet.matches(null, ETAG)).isFalse();
    assertThat(ConsoleServlet.matches("\"other\"", ETAG)).isFalse();
    assertThat(ConsoleServlet.matches("0123456789abcdef01234567", ETAG)).as("unquoted").isFalse();
  }

  @Test
  void onlyTheConsolesOwnKindsOfFileAreServed() {
    assertThat(ConsoleFile.of("console.js", new byte[] {1}).orElseThrow().mediaType())
        .startsWith("text/javascript");
    assertThat(ConsoleFile.of("index.html", new byte[] {1}).orElseThrow().mediaType())
        .startsWith("text/html");
    assertThat(ConsoleFile.of("notes.txt", new byte[] {1})).isEmpty();
    assertThat(ConsoleFile.of("README", new byte[] {1})).isEmpty();
  }
}
