package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Flow;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every endpoint and every documented error of the token API, over real HTTP against the real WAR
 * in Tomcat, on the embedded H2 database (pool of 3, so a full pool is easy to reach).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TokenApiIT {

  private static final int POOL_SIZE = 3;

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    Path dataDir = Files.createTempDirectory("tokenpool-api-it");
    return Deployments.realWar(
        "api",
        Map.of(
            "TOKENPOOL_DATA_DIR", dataDir.toString(),
            "TOKENPOOL_POOL_SIZE", String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME", "PT1H"));
  }

  @ArquillianResource URL base;

  private ApiClient api;

  @BeforeEach
  void startFromAnEmptyPool() {
    api = ApiClient.operator(base);
    assertThat(api.delete("/api/tokens/active").status()).isEqualTo(200);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeadersAndNamesNoServerVersion() {
    for (Reply reply :
        new Reply[] {
          api.activate(UUID.randomUUID().toString()),
          api.get("/api/tokens/not-a-uuid"),
          new ApiClient(base).get("/api/tokens"),
          new ApiClient(base).get("/no/such/path")
        }) {
      assertThat(reply.header("X-Content-Type-Options")).as(reply.toString()).isEqualTo("nosniff");
      assertThat(reply.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
      assertThat(reply.header("Server")).isNull();
      assertThat(reply.header("Strict-Transport-Security")).as("plain HTTP").isNull();
      assertThat(reply.body()).doesNotContainIgnoringCase("tomcat");
    }
    Reply console = new ApiClient(base).get("/console/");
    assertThat(console.header("Content-Security-Policy"))
        .as("the console's own policy")
        .contains("default-src")
        .contains("frame-ancestors 'none'");
    assertThat(console.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void activationHandsANewUserATokenForTheConfiguredLifetime() {
    String user = UUID.randomUUID().toString();

    Reply reply = api.activate(user);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonNode body = reply.json();
    assertThat(body.get("user_id").asText()).isEqualTo(user);
    assertThat(body.get("token_id").asText()).matches("[0-9a-f-]{36}");
    assertThat(body.get("evicted_user_id").isNull()).isTrue();
    Instant activated = Instant.parse(body.get("activated_at").asText());
    Instant expires = Instant.parse(body.get("expires_at").asText());
    assertThat(body.get("activated_at").asText()).endsWith("Z");
    assertThat(Duration.between(activated, expires)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aRepeatedActivationReturnsTheSameTokenAndExpiryWithoutEvictingAnyone() {
    List<String> others = fillPoolExceptOne();
    String user = UUID.randomUUID().toString();
    Reply first = api.activate(user);

    Reply again = api.activate(user);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("token_id")).isEqualTo(first.text("token_id"));
    assertThat(again.text("expires_at")).isEqualTo(first.text("expires_at"));
    assertThat(again.json().get("evicted_user_id").isNull()).isTrue();
    assertThat(activeUsers()).containsExactlyInAnyOrderElementsOf(concat(others, user));
  }

  @Test
  void aFullPoolEvictsTheOldestActiveTokenForTheNewcomer() {
    String oldest = UUID.randomUUID().toString();
    String oldestToken = api.activate(oldest).text("token_id");
    fillPoolExceptOne();
    api.activate(UUID.randomUUID().toString()); // the pool is full now

    Reply newcomer = api.activate(UUID.randomUUID().toString());

    assertThat(newcomer.status()).isEqualTo(200);
    assertThat(newcomer.text("evicted_user_id")).isEqualTo(oldest);
    assertThat(newcomer.text("token_id")).isEqualTo(oldestToken);
    JsonNode history = api.get("/api/tokens/" + oldestToken + "/history").json().get("history");
    assertThat(history.get(1).get("user_id").asText()).isEqualTo(oldest);
    assertThat(history.get(1).get("end_reason").asText()).isEqualTo("EVICTED");
    assertThat(history.get(1).get("ended_at").asText()).isEqualTo(newcomer.text("activated_at"));
  }

  @Test
  void theListingShowsEveryTokenWithCountsAndFiltersByState() {
    String user = UUID.randomUUID().toString();
    String token = api.activate(user).text("token_id");

    JsonNode all = api.get("/api/tokens").json();
    JsonNode active = api.get("/api/tokens?state=active").json();
    JsonNode available = api.get("/api/tokens?state=available").json();

    assertThat(all.get("tokens")).hasSize(POOL_SIZE);
    assertThat(all.get("active_count").asInt()).isEqualTo(1);
    assertThat(all.get("available_count").asInt()).isEqualTo(POOL_SIZE - 1);
    assertThat(all.get("next").isNull()).isTrue();
    assertThat(active.get("tokens")).hasSize(1);
    JsonNode held = active.get("tokens").get(0);
    assertThat(held.get("token_id").asText()).isEqualTo(token);
    assertThat(held.get("state").asText()).isEqualTo("active");
    assertThat(held.get("current_user_id").asText()).isEqualTo(user);
    assertThat(available.get("tokens")).hasSize(POOL_SIZE - 1);
    available
        .get("tokens")
        .forEach(
            t -> {
              assertThat(t.get("state").asText()).isEqualTo("available");
              assertThat(t.get("current_user_id").isNull()).isTrue();
            });
  }

  @Test
  void theListingPagesThroughThePoolWithCursors() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get("/api/tokens?limit=2" + (cursor == null ? "" : "&after=" + cursor)).json();
      page.get("tokens").forEach(t -> seen.add(t.get("token_id").asText()));
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);

    assertThat(seen).hasSize(POOL_SIZE).doesNotHaveDuplicates();
    List<String> inOnePage = new ArrayList<>();
    api.get("/api/tokens")
        .json()
        .get("tokens")
        .forEach(t -> inOnePage.add(t.get("token_id").asText()));
    assertThat(seen).isEqualTo(inOnePage);
  }

  @Test
  void oneTokenIsShownWithItsUsageCount() {
    String token = api.activate(UUID.randomUUID().toString()).text("token_id");
    long before = api.get("/api/tokens/" + token).json().get("usage_count").asLong();
    api.post("/api/tokens/" + token + "/release");
    String user = UUID.randomUUID().toString();
    // The pool is otherwise empty, so the freed token (lowest free slot) is handed out again.
    assertThat(api.activate(user).text("token_id")).isEqualTo(token);

    JsonNode details = api.get("/api/tokens/" + token).json();

    assertThat(details.get("token_id").asText()).isEqualTo(token);
    assertThat(details.get("usage_count").asLong()).isEqualTo(before + 1);
    assertThat(details.get("state").asText()).isEqualTo("active");
    assertThat(details.get("current_user_id").asText()).isEqualTo(user);
  }

  @Test
  void historyListsUsagesNewestFirstAndPages() {
    String first = UUID.randomUUID().toString();
    String token = api.activate(first).text("token_id");
    api.post("/api/tokens/" + token + "/release");
    String second = UUID.randomUUID().toString();
    String tokenAgain = api.activate(second).text("token_id");
    assertThat(tokenAgain).isEqualTo(token); // the lowest free slot is handed out first

    JsonNode page1 = api.get("/api/tokens/" + token + "/history?limit=1").json();
    JsonNode page2 =
        api.get("/api/tokens/" + token + "/history?limit=1&after=" + page1.get("next").asText())
            .json();

    assertThat(page1.get("token_id").asText()).isEqualTo(token);
    JsonNode newest = page1.get("history").get(0);
    assertThat(newest.get("user_id").asText()).isEqualTo(second);
    assertThat(newest.get("ended_at").isNull()).isTrue();
    assertThat(newest.get("end_reason").isNull()).isTrue();
    JsonNode older = page2.get("history").get(0);
    assertThat(older.get("user_id").asText()).isEqualTo(first);
    assertThat(older.get("end_reason").asText()).isEqualTo("RELEASED");
  }

  @Test
  void releaseEndsTheActiveUsageAndFreesTheToken() {
    String user = UUID.randomUUID().toString();
    String token = api.activate(user).text("token_id");

    Reply released = api.post("/api/tokens/" + token + "/release");

    assertThat(released.status()).isEqualTo(200);
    assertThat(released.text("user_id")).isEqualTo(user);
    assertThat(released.text("end_reason")).isEqualTo("RELEASED");
    assertThat(api.get("/api/tokens/" + token).text("state")).isEqualTo("available");
  }

  @Test
  void releasingATokenThatIsNotActiveIsAConflict() {
    String token =
        api.get("/api/tokens?state=available").json().get("tokens").get(0).get("token_id").asText();

    Reply reply = api.post("/api/tokens/" + token + "/release");

    assertProblem(reply, 409);
    assertThat(reply.text("detail")).contains(token);
  }

  @Test
  void clearingEndsEveryActiveUsageAndCountsThem() {
    String token = api.activate(UUID.randomUUID().toString()).text("token_id");
    api.activate(UUID.randomUUID().toString());

    Reply cleared = api.delete("/api/tokens/active");

    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().get("cleared_count").asInt()).isEqualTo(2);
    assertThat(cleared.text("status")).isEqualTo("ok");
    assertThat(api.get("/api/tokens").json().get("active_count").asInt()).isZero();
    assertThat(
            api.get("/api/tokens/" + token + "/history")
                .json()
                .get("history")
                .get(0)
                .get("end_reason")
                .asText())
        .isEqualTo("CLEARED");
  }

  @Test
  void malformedUserIdsAreRejected() {
    assertProblem(api.activate("x".repeat(256)), 400);
    assertProblem(api.activate(" padded"), 400);
    assertProblem(api.postJson("/api/tokens/activate", "{\"user_id\": \"a\\u0007b\"}"), 400);
    assertProblem(api.postJson("/api/tokens/activate", "{\"user_id\": 42}"), 400);
    assertThat(api.activate(" padded").text("detail")).contains("user_id");
    assertNothingChanged();
  }

  @Test
  void missingFieldsAndMalformedJsonAreRejected() {
    assertProblem(api.postJson("/api/tokens/activate", "{}"), 400);
    assertProblem(api.postJson("/api/tokens/activate", "{\"user_id\": null}"), 400);
    assertProblem(api.postJson("/api/tokens/activate", "{\"user_id\": "), 400);
    assertProblem(api.postJson("/api/tokens/activate", "[1,2]"), 400);
    assertProblem(api.postJson("/api/tokens/activate", "\"text\""), 400);
    assertProblem(api.postJson("/api/tokens/activate", ""), 400);
    assertProblem(
        api.postJson("/api/tokens/activate", "{\"user_id\":\"" + UUID.randomUUID() + "\"} {}"),
        400);
    assertNothingChanged();
  }

  @Test
  void badQueryParametersAreRejected() {
    assertProblem(api.get("/api/tokens?state=sleeping"), 400);
    assertProblem(api.get("/api/tokens?limit=0"), 400);
    assertProblem(api.get("/api/tokens?limit=1001"), 400);
    assertProblem(api.get("/api/tokens?limit=ten"), 400);
    assertProblem(api.get("/api/tokens?after=garbage"), 400);
    assertThat(api.get("/api/tokens?state=sleeping").text("detail")).contains("state");
  }

  @Test
  void malformedTokenIdsInThePathAreRejected() {
    assertProblem(api.get("/api/tokens/nope"), 400);
    assertProblem(api.get("/api/tokens/nope/history"), 400);
    assertProblem(api.post("/api/tokens/nope/release"), 400);
  }

  @Test
  void unknownTokensAndRoutesAreNotFound() {
    String unknown = UUID.randomUUID().toString();
    assertProblem(api.get("/api/tokens/" + unknown), 404);
    assertProblem(api.get("/api/tokens/" + unknown + "/history"), 404);
    assertProblem(api.post("/api/tokens/" + unknown + "/release"), 404);
    assertProblem(api.get("/api/nothing-here"), 404);
    assertProblem(api.get("/"), 404);
  }

  @Test
  void aWrongMethodIsNotAllowedAndSaysWhichAre() {
    Reply reply = api.delete("/api/tokens/" + UUID.randomUUID());

    assertProblem(reply, 405);
    assertThat(reply.header("Allow")).contains("GET");
    assertProblem(
        api.send(
            "PUT", "/api/tokens", "application/json", HttpRequest.BodyPublishers.ofString("{}")),
        405);
    assertProblem(api.get("/api/tokens/active"), 400); // read as a token id, and it is not one
  }

  @Test
  void aBodyThatIsNotJsonIsUnsupported() {
    Reply reply =
        api.send(
            "POST",
            "/api/tokens/activate",
            "text/plain",
            HttpRequest.BodyPublishers.ofString("user_id=" + UUID.randomUUID()));

    assertProblem(reply, 415);
    assertNothingChanged();
  }

  @Test
  void aBodyAbove64KiBIsTooLargeWhetherDeclaredOrChunked() {
    String padding = "x".repeat(70 * 1024);
    String json = "{\"user_id\":\"" + UUID.randomUUID() + "\",\"pad\":\"" + padding + "\"}";

    assertProblem(api.postJson("/api/tokens/activate", json), 413);
    assertProblem(api.send("POST", "/api/tokens/activate", "application/json", chunked(json)), 413);
    assertNothingChanged();
  }

  @Test
  void aBodyJustUnderTheLimitIsAccepted() {
    String padding = "x".repeat(60 * 1024);
    String json = "{\"user_id\":\"" + UUID.randomUUID() + "\",\"pad\":\"" + padding + "\"}";

    assertThat(api.send("POST", "/api/tokens/activate", "application/json", chunked(json)).status())
        .isEqualTo(200);
  }

  @Test
  void theRunHistoryListsRecordedRunsNewestFirst() {
    Reply reply = api.get("/api/jobs/runs?job=expire-tokens&limit=5");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode runs = reply.json().get("runs");
    assertThat(runs.isArray()).isTrue();
    assertThat(runs.size()).isLessThanOrEqualTo(5);
    // The node fires its expiry job once at start; its run is listed with every field.
    JsonNode run = runs.get(0);
    assertThat(run.get("job").asText()).isEqualTo("expire-tokens");
    assertThat(run.get("outcome").asText()).isIn("RUNNING", "SUCCESS");
    for (String field :
        List.of(
            "fire_instance_id",
            "node_id",
            "scheduled_at",
            "fired_at",
            "started_at",
            "finished_at",
            "released",
            "error",
            "manual")) {
      assertThat(run.has(field)).as(field).isTrue();
    }
    assertThat(api.get("/api/jobs/runs").status()).isEqualTo(200);
  }

  @Test
  void theRunHistoryRejectsAnUnknownJobOrABadLimit() {
    Reply unknown = api.get("/api/jobs/runs?job=make-coffee");

    assertProblem(unknown, 400);
    assertThat(unknown.text("detail")).contains("make-coffee").contains("expire-tokens");
    assertProblem(api.get("/api/jobs/runs?limit=0"), 400);
    assertProblem(api.post("/api/jobs/runs"), 405);
  }

  private void assertProblem(Reply reply, int status) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    JsonNode problem = reply.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("type").asText()).startsWith("https://");
    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private void assertNothingChanged() {
    JsonNode listing = api.get("/api/tokens").json();
    assertThat(listing.get("active_count").asInt()).isZero();
    listing
        .get("tokens")
        .forEach(
            t ->
                assertThat(
                        api.get("/api/tokens/" + t.get("token_id").asText() + "/history")
                            .json()
                            .get("history")
                            .findValues("ended_at"))
                    .noneMatch(JsonNode::isNull));
  }

  private List<String> fillPoolExceptOne() {
    List<String> users = new ArrayList<>();
    int active = api.get("/api/tokens").json().get("active_count").asInt();
    for (int i = active; i < POOL_SIZE - 1; i++) {
      String user = UUID.randomUUID().toString();
      assertThat(api.activate(user).status()).isEqualTo(200);
      users.add(user);
    }
    return users;
  }

  private List<String> activeUsers() {
    List<String> users = new ArrayList<>();
    api.get("/api/tokens?state=active")
        .json()
        .get("tokens")
        .forEach(t -> users.add(t.get("current_user_id").asText()));
    return users;
  }

  private static List<String> concat(List<String> list, String one) {
    List<String> all = new ArrayList<>(list);
    all.add(one);
    return all;
  }

  /** A body sent without Content-Length, as chunked transfer encoding. */
  private static HttpRequest.BodyPublisher chunked(String body) {
    HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofString(body);
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        known.subscribe(subscriber);
      }
    };
  }
}
