package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request bodies that are not JSON or not of the expected shape, on the real activation endpoint
 * and on another JSON endpoint: docs/api.md, "Which input gives which 400".
 */
final class JsonBodyProblemsTest {

  private static final InMemoryApi api = InMemoryApi.start();
  private static final String ACTIVATE = "/api/tokens/activate";
  private static final String ECHO = "/test/echo";
  private static final String ACTIVATION_SHAPE =
      "The body must be a JSON object such as {\"user_id\": \"alice\"}";

  /** Bodies and where the parser stopped: the column of the token at fault, from 1. */
  static Stream<Arguments> bodiesThatAreNotJson() {
    return Stream.of(
        Arguments.of("{\"user_id\": nope}", "(line 1, column 13)"),
        Arguments.of("{\"user_id\":\"", "(line 1, column 13)"),
        Arguments.of("{\n  \"user_id\": \"a\"\n  \"x\": 2}", "(line 3, column 3)"));
  }

  @ParameterizedTest
  @MethodSource("bodiesThatAreNotJson")
  void aBodyThatIsNotJsonIsMalformedWithItsPlaceOnly(String body, String where) {
    ApiReply reply = api.post(ACTIVATE).asService().json(body).send();

    assertProblem(
        reply,
        400,
        "malformed-body",
        "Malformed request body",
        "The body is not valid JSON " + where,
        ACTIVATE);
  }

  static Stream<Arguments> activationBodiesOfTheWrongShape() {
    return Stream.of(
        Arguments.of("[1,2]", "(line 1, column 1)"),
        Arguments.of("\"text\"", "(line 1, column 1)"),
        Arguments.of("{\"user_id\": {}}", "(line 1, column 13)"),
        Arguments.of(
            "{\"user_id\": \"" + TestResources.TOKEN_ID + "\"} {}", "(line 1, column 53)"));
  }

  @ParameterizedTest
  @MethodSource("activationBodiesOfTheWrongShape")
  void anActivationBodyOfTheWrongShapeShowsTheExpectedOne(String body, String where) {
    ApiReply reply = api.post(ACTIVATE).asService().json(body).send();

    assertProblem(
        reply,
        400,
        "malformed-body",
        "Malformed request body",
        ACTIVATION_SHAPE + " " + where,
        ACTIVATE);
  }

  @Test
  void anotherEndpointsBodyOfTheWrongShapeDoesNotShowTheActivationsExample() {
    ApiReply reply = api.post(ECHO).json("[1,2]").send();

    assertProblem(
        reply,
        400,
        "malformed-body",
        "Malformed request body",
        "The body must be a JSON object of the documented form (line 1, column 1)",
        ECHO);
    assertThat(reply.body()).doesNotContain("user_id");
  }

  @Test
  void anotherEndpointsBodyThatIsNotJsonIsMalformedToo() {
    ApiReply reply = api.post(ECHO).json("{\"name\": nope}").send();

    assertProblem(
        reply,
        400,
        "malformed-body",
        "Malformed request body",
        "The body is not valid JSON (line 1, column 10)",
        ECHO);
  }

  @Test
  void aWellFormedBodyReachesTheOtherEndpoint() {
    ApiReply reply = api.post(ECHO).json("{\"name\": \"x\", \"unknown\": 1}").send();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("name").asText()).isEqualTo("x");
  }

  static Stream<Arguments> activationBodiesWithABadValue() {
    return Stream.of(
        Arguments.of(
            "{\"user_id\": \"nope\\n\"}", "user_id: 'nope?' must not contain control characters"),
        Arguments.of(
            "{\"user_id\": \"" + "x".repeat(256) + "\"}",
            "user_id: '" + "x".repeat(61) + "...' must be at most 255 characters"),
        Arguments.of("{\"user_id\": \" \"}", "user_id: ' ' must not begin or end with white space"),
        Arguments.of("{\"user_id\": null}", "user_id: is required"),
        Arguments.of("{\"user_id\": \"\"}", "user_id: is required"),
        Arguments.of("{}", "user_id: is required"),
        Arguments.of("null", "body: a JSON object with user_id is required"),
        Arguments.of("", "body: a JSON object with user_id is required"));
  }

  @ParameterizedTest
  @MethodSource("activationBodiesWithABadValue")
  void anActivationBodyWithABadValueIsAnInvalidRequestNamingIt(String body, String detail) {
    ApiReply reply = api.post(ACTIVATE).asService().json(body).send();

    assertProblem(reply, 400, "invalid-request", "Invalid request", detail, ACTIVATE);
  }

  @Test
  void theActivationRefusesABodyThatIsNotSentAsJson() {
    ApiReply reply =
        api.post(ACTIVATE)
            .asService()
            .body(MediaType.TEXT_PLAIN, "{\"user_id\": \"nope\"}".getBytes(UTF_8))
            .send();

    assertProblem(
        reply,
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        "Send the body as application/json",
        ACTIVATE);
  }
}
