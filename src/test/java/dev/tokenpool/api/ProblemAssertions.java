package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Checks of the RFC 9457 problem documents that docs/api.md promises for every error. */
final class ProblemAssertions {

  private static final String TYPE_BASE = "https://tokenpool.dev/problems/";

  private ProblemAssertions() {}

  /**
   * Asserts a problem document with exactly these fields, served as application/problem+json; an
   * {@code error_id} is allowed on 5xx only. Returns the document for further checks.
   */
  static JsonNode assertProblem(
      ApiReply reply, int status, String kind, String title, String detail, String instance) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).as("Content-Type").isNotNull();
    assertThat(reply.contentType().getType() + "/" + reply.contentType().getSubtype())
        .isEqualTo("application/problem+json");
    JsonNode problem = reply.json();
    assertThat(problem.path("type").asText()).isEqualTo(TYPE_BASE + kind);
    assertThat(problem.path("title").asText()).isEqualTo(title);
    assertThat(problem.path("status").isInt()).as("status is a number").isTrue();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isEqualTo(detail);
    assertThat(problem.path("instance").asText()).isEqualTo(instance);
    List<String> fields = new ArrayList<>();
    problem.fieldNames().forEachRemaining(fields::add);
    if (status >= 500) {
      fields.remove("error_id");
    }
    assertThat(fields).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
    return problem;
  }

  /** The document's error id, which must be a UUID. */
  static String errorId(JsonNode problem) {
    String id = problem.path("error_id").asText();
    assertThat(UUID.fromString(id)).as("error_id").hasToString(id);
    return id;
  }
}
