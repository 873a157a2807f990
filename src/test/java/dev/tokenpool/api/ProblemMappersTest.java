package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static dev.tokenpool.api.ProblemAssertions.errorId;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each exception the API knows becomes the problem document that docs/api.md describes. */
final class ProblemMappersTest {

  private static final InMemoryApi api = InMemoryApi.start();
  private static final String TOKEN = TestResources.TOKEN_ID.toString();

  @Test
  void anInvalidRequestIs400NamingTheField() {
    ApiReply reply = api.get("/test/failures/invalid-request").send();

    assertProblem(
        reply,
        400,
        "invalid-request",
        "Invalid request",
        "limit: '0' must be a whole number from 1 to 1000",
        "/test/failures/invalid-request");
  }

  @Test
  void anInvalidPathValueOfTheRealResourceIs400NamingIt() {
    ApiReply reply = api.get("/api/tokens/nope").asService().send();

    assertProblem(
        reply,
        400,
        "invalid-request",
        "Invalid request",
        "token_id: 'nope' is not a UUID",
        "/api/tokens/nope");
  }

  @Test
  void theInstanceIsThePathWithoutTheQuery() {
    ApiReply reply = api.get("/api/tokens?state=sleeping&limit=2").asService().send();

    assertProblem(
        reply,
        400,
        "invalid-request",
        "Invalid request",
        "state: 'sleeping' is not one of all, active, available",
        "/api/tokens");
  }

  @Test
  void anUnknownTokenIs404() {
    ApiReply reply = api.get("/test/failures/token-not-found").send();

    assertProblem(
        reply,
        404,
        "token-not-found",
        "Token not found",
        "Token " + TOKEN + " does not exist",
        "/test/failures/token-not-found");
  }

  @Test
  void anInactiveTokenIs409() {
    ApiReply reply = api.get("/test/failures/token-not-active").send();

    assertProblem(
        reply,
        409,
        "token-not-active",
        "Token not active",
        "Token " + TOKEN + " is not active",
        "/test/failures/token-not-active");
  }

  @Test
  void anUnknownJobIs404ListingTheJobs() {
    ApiReply reply = api.get("/test/failures/unknown-job").send();

    assertProblem(
        reply,
        404,
        "job-not-found",
        "Job not found",
        "No job is named 'nope'; the jobs are expire-tokens",
        "/test/failures/unknown-job");
  }

  /** A conflict that outlasted its retries, then a database that cannot be reached. */
  @ParameterizedTest
  @CsvSource({
    "busy, Service busy, Concurrent requests conflicted; retry shortly, 1",
    "unavailable, Service unavailable, The database cannot be reached, 5"
  })
  void aMomentaryFailureIs503WithRetryAfterAndALoggedId(
      String kind, String title, String detail, String retryAfter) {
    try (CapturedLog log = CapturedLog.of(ProblemMappers.class)) {
      String path = "/test/failures/" + kind;
      ApiReply reply = api.get(path).send();

      JsonNode problem = assertProblem(reply, 503, kind, title, detail, path);
      assertThat(reply.header(HttpHeaders.RETRY_AFTER)).isEqualTo(retryAfter);
      assertThat(reply.body()).doesNotContain(TestResources.SECRET);
      assertLoggedOnce(log, Level.WARN, errorId(problem));
    }
  }

  @Test
  void anUnexpectedFailureIs500WithOnlyAnErrorIdThatTheLogHasWithTheCause() {
    try (CapturedLog log = CapturedLog.of(ProblemMappers.class)) {
      ILoggingEvent logged = assertInternalError("/test/failures/unexpected", log);

      assertThat(logged.getThrowableProxy().getMessage()).contains(TestResources.SECRET);
    }
  }

  /**
   * A 5xx Jersey raises as WebApplicationException, and a response Jackson cannot write: our
   * failures, not the client's (the latter once answered 400 malformed-body).
   */
  @ParameterizedTest
  @ValueSource(strings = {"server-refusal", "unwritable"})
  void aFailureOfOursInsideJerseyIsAnInternalErrorLoggedUnderItsId(String failure) {
    try (CapturedLog log = CapturedLog.of(ProblemMappers.class)) {
      assertInternalError("/test/failures/" + failure, log);
    }
  }

  /** A 500 that sends only an error id, logged once at ERROR under that id; the event. */
  private static ILoggingEvent assertInternalError(String path, CapturedLog log) {
    ApiReply reply = api.get(path).send();

    JsonNode problem =
        assertProblem(
            reply,
            500,
            "internal-error",
            "Internal error",
            "Quote this error id when reporting it",
            path);
    assertThat(reply.body())
        .doesNotContain(TestResources.SECRET)
        .doesNotContain("Exception")
        .doesNotContain("dev.tokenpool");
    return assertLoggedOnce(log, Level.ERROR, errorId(problem));
  }

  /** The one event of the mappers' log, at this level and naming this error id. */
  private static ILoggingEvent assertLoggedOnce(CapturedLog log, Level level, String errorId) {
    assertThat(log.events()).hasSize(1);
    ILoggingEvent event = log.events().get(0);
    assertThat(event.getLevel()).isEqualTo(level);
    assertThat(event.getFormattedMessage()).contains(errorId);
    return event;
  }
}
