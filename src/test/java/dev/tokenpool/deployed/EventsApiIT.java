package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.EventStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/events} through the real WAR over real HTTP: a holder's stream carries its own
 * holdings' events only, a service's those of the users it names, a stream resumes after the
 * Last-Event-ID it gives, and bad requests are refused before any stream opens.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EventsApiIT {

  private static final Duration SOON = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    Path dataDir = Files.createTempDirectory("tokenpool-events-it");
    return Deployments.realWar(
        "events", Map.of("TOKENPOOL_DATA_DIR", dataDir.toString(), "TOKENPOOL_POOL_SIZE", "2"));
  }

  @ArquillianResource URL base;

  @Test
  void aHolderIsToldOfItsOwnHoldingsOnlyAndOfItsEviction() throws Exception {
    String user = "holder-" + UUID.randomUUID();
    String key = ApiClient.createKey(base, "tokens", user);
    ApiClient holder = new ApiClient(base).withBearer(key);
    ApiClient service =
        ApiClient.withNewKey(base, "tokens:any-user", "service-" + UUID.randomUUID());
    try (EventStream stream = open("", Map.of("Authorization", "Bearer " + key))) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
      EventStream.Item hello = stream.next(SOON);
      assertThat(hello.event()).isEqualTo(":comment");

      JsonNode held = holder.postJson("/api/tokens/activate", "{}").json();
      String other = "other-" + UUID.randomUUID();
      service.activate(other);
      JsonNode newcomer = service.activate("newcomer-" + UUID.randomUUID()).json();

      EventStream.Item activated = stream.nextEvent(SOON);
      assertThat(activated.event()).isEqualTo("activated");
      JsonNode data = JSON.readTree(activated.data());
      assertThat(data.get("user_id").asText()).isEqualTo(user);
      assertThat(data.get("fence").asLong()).isEqualTo(held.get("fence").asLong());
      assertThat(data.get("id").asText()).isEqualTo(activated.id());
      assertThat(data.has("evicted_by")).isFalse();
      EventStream.Item evicted = stream.nextEvent(SOON);
      assertThat(evicted.event())
          .as("the holding that expires soonest is taken")
          .isEqualTo("evicted");
      JsonNode eviction = JSON.readTree(evicted.data());
      assertThat(eviction.get("fence").asLong()).isEqualTo(held.get("fence").asLong());
      assertThat(eviction.get("evicted_by").asLong()).isEqualTo(newcomer.get("fence").asLong());
      assertThat(Long.parseLong(evicted.id())).isGreaterThan(Long.parseLong(activated.id()));
      assertThat(stream.nextEvent(Duration.ofMillis(500)))
          .as("nothing of the other users")
          .isNull();
    }
  }

  @Test
  void aServiceNamesItsUsersAndAStreamResumesAfterItsLastEventId() throws Exception {
    String key = ApiClient.createKey(base, "tokens:any-user", "service-" + UUID.randomUUID());
    ApiClient service = new ApiClient(base).withBearer(key);
    String alice = "alice-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
    String lastSeen;
    try (EventStream stream = open("?user_id=" + alice + "&user_id=" + bob, auth)) {
      stream.next(SOON);
      JsonNode held = service.activate(alice).json();
      service.activate("someone-else-" + UUID.randomUUID());
      EventStream.Item first = stream.nextEvent(SOON);
      assertThat(JSON.readTree(first.data()).get("user_id").asText()).isEqualTo(alice);
      lastSeen = first.id();
      String token = "/api/tokens/" + held.get("token_id").asText();
      assertThat(
              service
                  .postJson(
                      token + "/release",
                      "{\"user_id\":\"" + alice + "\",\"fence\":" + held.get("fence") + "}")
                  .status())
          .isEqualTo(200);
      service.activate(bob);
    }
    // Disconnected: two events of its users happened meanwhile, and one of another user.
    try (EventStream resumed =
        open(
            "?user_id=" + alice + "&user_id=" + bob,
            Map.of("Authorization", "Bearer " + key, "Last-Event-ID", lastSeen))) {
      EventStream.Item released = resumed.nextEvent(SOON);
      EventStream.Item activated = resumed.nextEvent(SOON);
      assertThat(released.event()).isEqualTo("released");
      assertThat(JSON.readTree(released.data()).get("user_id").asText()).isEqualTo(alice);
      assertThat(activated.event()).isEqualTo("activated");
      assertThat(JSON.readTree(activated.data()).get("user_id").asText()).isEqualTo(bob);
      assertThat(resumed.nextEvent(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void badRequestsAreRefusedBeforeAnyStreamOpens() throws Exception {
    try (EventStream anonymous = open("", Map.of())) {
      assertThat(anonymous.status()).isEqualTo(401);
    }
    String holderKey = ApiClient.createKey(base, "tokens", "holder-" + UUID.randomUUID());
    try (EventStream others =
        open("?user_id=alice", Map.of("Authorization", "Bearer " + holderKey))) {
      assertThat(others.status()).isEqualTo(403);
      assertThat(others.body()).contains("own holdings");
    }
    try (EventStream badId =
        open("", Map.of("Authorization", "Bearer " + holderKey, "Last-Event-ID", "yesterday"))) {
      assertThat(badId.status()).isEqualTo(400);
      assertThat(badId.body()).contains("Last-Event-ID");
    }
  }

  private EventStream open(String query, Map<String, String> headers) throws Exception {
    return EventStream.open(
        URI.create(base.toString().replaceAll("/$", "") + "/api/events" + query), headers);
  }
}
