package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;

/** Bodies above 64 KiB are refused with 413 before anything parses them; others pass whole. */
final class RequestSizeLimitFilterTest {

  private static final InMemoryApi api = InMemoryApi.start();
  private static final String ACTIVATE = "/api/tokens/activate";
  private static final int LIMIT = 64 * 1024;

  @Test
  void aDeclaredLengthAboveTheLimitIsRefusedAtOnce() {
    ApiReply reply =
        api.post(ACTIVATE)
            .asService()
            .json("{}")
            .header(HttpHeaders.CONTENT_LENGTH, String.valueOf(LIMIT + 1))
            .send();

    assertTooLarge(reply);
  }

  @Test
  void aDeclaredLengthBeyondEveryIntIsRefusedNotAnError() {
    ApiReply reply =
        api.post(ACTIVATE)
            .asService()
            .json("{}")
            .header(HttpHeaders.CONTENT_LENGTH, "2147483648")
            .send();

    assertTooLarge(reply);
  }

  @Test
  void aChunkedBodyOneByteAboveTheLimitIsRefused() {
    ApiReply reply =
        api.post(ACTIVATE).asService().body(MediaType.APPLICATION_JSON, bodyOf(LIMIT + 1)).send();

    assertTooLarge(reply);
  }

  @Test
  void aChunkedBodyOfExactlyTheLimitIsReadWhole() {
    ApiReply reply =
        api.post(ACTIVATE).asService().body(MediaType.APPLICATION_JSON, bodyOf(LIMIT)).send();

    assertParsedWhole(reply);
  }

  @Test
  void aDeclaredLengthOfExactlyTheLimitPasses() {
    byte[] body = bodyOf(LIMIT);
    ApiReply reply =
        api.post(ACTIVATE)
            .asService()
            .body(MediaType.APPLICATION_JSON, body)
            .header(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length))
            .send();

    assertParsedWhole(reply);
  }

  private static void assertTooLarge(ApiReply reply) {
    assertProblem(
        reply,
        413,
        "request-entity-too-large",
        "Request Entity Too Large",
        "Request body larger than 65536 bytes",
        ACTIVATE);
  }

  /** The activation parsed the whole body: its own check of user_id answered, not the JSON's. */
  private static void assertParsedWhole(ApiReply reply) {
    assertProblem(
        reply,
        400,
        "invalid-request",
        "Invalid request",
        "user_id: 'nope ' must not begin or end with white space",
        ACTIVATE);
  }

  /** A JSON activation body of exactly {@code size} bytes, padded after a bad user_id. */
  private static byte[] bodyOf(int size) {
    String start = "{\"user_id\": \"nope \", \"padding\": \"";
    String end = "\"}";
    String json = start + "x".repeat(size - start.length() - end.length()) + end;
    byte[] bytes = json.getBytes(UTF_8);
    if (bytes.length != size) {
      throw new IllegalStateException(bytes.length + " bytes, not " + size);
    }
    return bytes;
  }
}
