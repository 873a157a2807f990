package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;

/** Jersey's own refusals of a route, method or media type are problem documents too. */
final class JerseyRefusalsTest {

  private static final InMemoryApi api = InMemoryApi.start();

  @Test
  void anUnknownPathIs404() {
    ApiReply reply = api.get("/nowhere").send();

    assertProblem(reply, 404, "not-found", "Not Found", "No resource at this path", "/nowhere");
  }

  @Test
  void aPathThatOnlyBeginsLikeTheAdminApiIsNotAdminAndIs404() {
    ApiReply reply = api.get("/api/administrator").send();

    assertProblem(
        reply, 404, "not-found", "Not Found", "No resource at this path", "/api/administrator");
  }

  @Test
  void aMethodThePathDoesNotHaveIs405WithTheAllowedOnes() {
    ApiReply reply = api.post("/api/tokens/active").asService().send();

    assertProblem(
        reply,
        405,
        "method-not-allowed",
        "Method Not Allowed",
        "This method is not allowed here",
        "/api/tokens/active");
    assertThat(reply.header(HttpHeaders.ALLOW)).isEqualTo("DELETE,OPTIONS");
  }

  @Test
  void anAcceptHeaderWithoutJsonIs406() {
    ApiReply reply =
        api.get("/api/tokens/nope")
            .asService()
            .header(HttpHeaders.ACCEPT, MediaType.TEXT_HTML)
            .send();

    assertProblem(
        reply,
        406,
        "not-acceptable",
        "Not Acceptable",
        "This resource answers in none of the media types the request accepts",
        "/api/tokens/nope");
  }

  @Test
  void aJsonEndpointRefusesAFormBodyWith415() {
    ApiReply reply =
        api.post("/test/echo")
            .body(MediaType.APPLICATION_FORM_URLENCODED, "name=x".getBytes(UTF_8))
            .send();

    assertProblem(
        reply,
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        "Send the body as application/json",
        "/test/echo");
  }
}
