package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Named pools through the real WAR and a real database: operators create, resize, drain and delete
 * them over {@code /api/admin/pools}; clients use every token route at {@code
 * /api/pools/{pool}/tokens}; pools are isolated from one another and from the default pool, which
 * answers {@code /api/tokens} as before; credentials limited to pools reach those only. Every
 * answer is checked against docs/openapi.yaml by {@link ApiClient}. Each supported database runs it
 * through a subclass that deploys the WAR on it (default pool of {@value #POOL_SIZE}).
 */
abstract class PoolsApi {

  static final int POOL_SIZE = 3;
  static final String MONITOR_PASSWORD = "monitor-password-1";

  @ArquillianResource URL base;

  private ApiClient admin;
  private ApiClient monitor;
  private ApiClient service;
  private String pool;

  @BeforeEach
  void aNewPoolAndAServiceKey() {
    ApiClient anonymous = new ApiClient(base);
    admin = anonymous.withAuthorization(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD));
    monitor = anonymous.withAuthorization(ApiClient.basic("watcher", MONITOR_PASSWORD));
    service = ApiClient.withNewKey(base, "tokens:any-user", "service-" + UUID.randomUUID());
    pool = "seats-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Reply create(String name, int size, String extra) {
    return admin.postJson(
        "/api/admin/pools", "{\"name\":\"" + name + "\",\"size\":" + size + extra + "}");
  }

  /** A DELETE as the admin, with the JSON content type the cross-site guard asks of a login. */
  private Reply deleteAsAdmin(String path) {
    return new ApiClient(base)
        .as(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD), "DELETE", path);
  }

  private Reply resize(String name, int size) {
    return admin.patchJson("/api/admin/pools/" + name, "{\"size\":" + size + "}");
  }

  private Reply activate(String name, String user, String options) {
    return service.postJson(
        "/api/pools/" + name + "/tokens/activate", "{\"user_id\":\"" + user + "\"" + options + "}");
  }

  @Test
  void anOperatorCreatesAPoolAndItsTokensServeAtOnce() {
    Reply created = create(pool, 4, ",\"lease_default\":\"PT5M\",\"on_full_default\":\"fail\"");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).endsWith("/api/admin/pools/" + pool);
    JsonNode shown = created.json();
    assertThat(shown.get("size").asInt()).isEqualTo(4);
    assertThat(shown.get("tokens").asInt()).isEqualTo(4);
    assertThat(shown.get("available").asInt()).isEqualTo(4);
    assertThat(shown.get("lease_default").asText()).isEqualTo("PT5M");
    assertThat(shown.get("on_full_default").asText()).isEqualTo("fail");
    assertThat(shown.get("set_by").asText()).isEqualTo("admin");
    assertThat(create(pool, 1, "").status()).isEqualTo(409);
    // A long default lease alone raises the longest lease and hold it leaves out.
    Reply longLease = create(pool + "-long", 1, ",\"lease_default\":\"P5D\"");
    assertThat(longLease.status()).isEqualTo(201);
    assertThat(longLease.json().get("lease_max").asText()).isEqualTo("PT120H");
    assertThat(create("Bad Name", 1, "").status()).isEqualTo(400);
    assertThat(monitor.get("/api/admin/pools/" + pool).status()).isEqualTo(200);
    assertThat(monitor.postJson("/api/admin/pools", "{\"name\":\"x\",\"size\":1}").status())
        .isEqualTo(403);

    Reply given = activate(pool, "alice", "");
    assertThat(given.status()).isEqualTo(200);
    String token = given.text("token_id");
    long fence = given.json().get("fence").asLong();
    assertThat(service.get("/api/pools/" + pool + "/tokens/" + token).json().get("state").asText())
        .isEqualTo("active");
    assertThat(
            service
                .postJson(
                    "/api/pools/" + pool + "/tokens/" + token + "/renew",
                    "{\"fence\":" + fence + "}")
                .status())
        .isEqualTo(200);
    assertThat(
            service
                .get("/api/pools/" + pool + "/tokens/" + token + "/fences/" + fence)
                .json()
                .get("current")
                .asBoolean())
        .isTrue();
    // A token of this pool is no token of the default pool, and an unknown pool is 404.
    assertThat(service.get("/api/tokens/" + token).status()).isEqualTo(404);
    Reply unknown = service.get("/api/pools/no-such-pool/tokens");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text("type")).endsWith("/pool-not-found");
    assertThat(
            service
                .postJson(
                    "/api/pools/" + pool + "/tokens/" + token + "/release",
                    "{\"user_id\":\"alice\"}")
                .status())
        .isEqualTo(200);
    JsonNode history =
        service.get("/api/pools/" + pool + "/tokens/" + token + "/history").json().get("history");
    assertThat(history.get(0).get("pool").asText()).isEqualTo(pool);
    assertThat(history.get(0).get("renewals").asInt()).isEqualTo(1);
  }

  @Test
  void aFullPoolNeverEvictsFromAnotherAndAUserHoldsOneTokenPerPool() {
    create(pool, 1, "");
    String user = "bob-" + UUID.randomUUID();
    Reply inDefault = service.activate(user);
    Reply inPool = activate(pool, user, "");
    assertThat(inPool.text("token_id")).isNotEqualTo(inDefault.text("token_id"));

    Reply newcomer = activate(pool, "carol-" + UUID.randomUUID(), "");

    assertThat(newcomer.text("evicted_user_id")).isEqualTo(user);
    JsonNode defaultToken = service.get("/api/tokens/" + inDefault.text("token_id")).json();
    assertThat(defaultToken.get("current_user_id").asText()).isEqualTo(user);
    // This pool's default refuses instead of evicting, once changed.
    admin.patchJson("/api/admin/pools/" + pool, "{\"on_full_default\":\"fail\"}");
    assertThat(activate(pool, "dave-" + UUID.randomUUID(), "").status()).isEqualTo(409);
    JsonNode history = service.get("/api/users/" + user + "/usages").json().get("usages");
    assertThat(history).hasSize(2);
    List<String> pools = new ArrayList<>();
    history.forEach(usage -> pools.add(usage.get("pool").asText()));
    assertThat(pools).containsExactlyInAnyOrder("default", pool);
  }

  @Test
  void resizingUnderLoadEvictsNoOneAndNeverHoldsMoreThanTheSize() throws Exception {
    create(pool, 8, ",\"on_full_default\":\"fail\"");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger evictions = new AtomicInteger();
    AtomicInteger given = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String prefix = "load-" + w + "-";
      workers.add(
          load.submit(
              () -> {
                int i = 0;
                while (running.get()) {
                  Reply reply = activate(pool, prefix + (i++ % 3), "");
                  if (reply.status() == 200) {
                    given.incrementAndGet();
                    if (!reply.json().get("evicted_user_id").isNull()) {
                      evictions.incrementAndGet();
                    }
                    if (i % 2 == 0) {
                      service.postJson(
                          "/api/pools/" + pool + "/tokens/" + reply.text("token_id") + "/release",
                          "{\"user_id\":\"" + reply.text("user_id") + "\"}");
                    }
                  }
                }
                return null;
              }));
    }
    List<String> overfull = new ArrayList<>();
    for (int size : List.of(3, 10, 2, 6, 4)) {
      Thread.sleep(300);
      JsonNode after = resize(pool, size).json();
      JsonNode now = admin.get("/api/admin/pools/" + pool).json();
      for (JsonNode shown : List.of(after, now)) {
        if (shown.get("active").asInt() > size || shown.get("tokens").asInt() != size) {
          overfull.add(shown.toString());
        }
      }
    }
    running.set(false);
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    load.shutdown();

    assertThat(given.get()).isGreaterThan(10);
    assertThat(evictions.get()).isZero();
    assertThat(overfull).isEmpty();
  }

  @Test
  void aShrinkWaitsForHoldersAndADeleteForTheDrain() {
    create(pool, 3, "");
    List<String> tokens = new ArrayList<>();
    for (String user : List.of("h1", "h2", "h3")) {
      tokens.add(activate(pool, user, "").text("token_id"));
    }

    JsonNode shrunk = resize(pool, 1).json();

    assertThat(shrunk.get("tokens").asInt()).isEqualTo(1);
    assertThat(shrunk.get("retiring").asInt()).isEqualTo(2);
    assertThat(shrunk.get("active").asInt()).isEqualTo(1);
    assertThat(service.get("/api/pools/" + pool + "/tokens").json().get("tokens")).hasSize(1);
    for (String token : tokens) {
      assertThat(
              service.get("/api/pools/" + pool + "/tokens/" + token).json().get("state").asText())
          .isEqualTo("active");
    }
    Reply refused = deleteAsAdmin("/api/admin/pools/" + pool);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text("type")).endsWith("/pool-conflict");

    Reply deleted = deleteAsAdmin("/api/admin/pools/" + pool + "?drain=true");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("cleared").asInt()).isEqualTo(3);
    assertThat(admin.get("/api/admin/pools/" + pool).status()).isEqualTo(404);
    assertThat(service.get("/api/pools/" + pool + "/tokens").status()).isEqualTo(404);
    JsonNode usages = service.get("/api/users/h1/usages").json().get("usages");
    assertThat(usages.get(0).get("end_reason").asText()).isEqualTo("CLEARED");
    assertThat(deleteAsAdmin("/api/admin/pools/default?drain=true").status()).isEqualTo(409);
  }

  @Test
  void aKeyLimitedToAPoolReachesThatPoolOnly() {
    create(pool, 2, "");
    Reply issued =
        admin.postJson(
            "/api/admin/api-keys",
            "{\"name\":\"limited-"
                + UUID.randomUUID()
                + "\",\"scope\":\"tokens:admin\",\"pools\":[\""
                + pool
                + "\"]}");
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().get("pools").get(0).asText()).isEqualTo(pool);
    ApiClient limited = new ApiClient(base).withBearer(issued.text("key"));

    assertThat(
            limited
                .postJson("/api/pools/" + pool + "/tokens/activate", "{\"user_id\":\"u\"}")
                .status())
        .isEqualTo(200);
    assertThat(limited.activate("u").status()).isEqualTo(403);
    assertThat(limited.get("/api/tokens").status()).isEqualTo(403);
    List<String> listed = new ArrayList<>();
    limited
        .get("/api/admin/pools")
        .json()
        .get("pools")
        .forEach(shown -> listed.add(shown.get("name").asText()));
    assertThat(listed).containsExactly(pool);
    assertThat(limited.get("/api/admin/pools").json().get("total").asInt()).isEqualTo(1);
    // Another pool is refused whether or not it exists: the key learns nothing of it.
    assertThat(limited.get("/api/pools/no-such-pool/tokens").status()).isEqualTo(403);
    assertThat(limited.get("/metrics").status()).isEqualTo(403);
    assertThat(limited.get("/api/admin/pools/default").status()).isEqualTo(403);
    assertThat(limited.post("/api/admin/expire-now").status()).isEqualTo(403);
    assertThat(
            limited
                .postJson("/api/admin/api-keys", "{\"name\":\"wider\",\"scope\":\"tokens\"}")
                .status())
        .isEqualTo(403);
    assertThat(
            limited
                .postJson(
                    "/api/admin/api-keys",
                    "{\"name\":\"narrow-"
                        + UUID.randomUUID()
                        + "\",\"scope\":\"tokens\",\"pools\":[\""
                        + pool
                        + "\"]}")
                .status())
        .isEqualTo(201);
    assertThat(
            admin
                .postJson(
                    "/api/admin/api-keys",
                    "{\"name\":\"bad\",\"scope\":\"tokens\",\"pools\":[\"Not A Pool\"]}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void theDefaultPoolAnswersAsBeforeAndIsListedWithTheOthers() {
    create(pool, 1, "");
    JsonNode listing = admin.get("/api/admin/pools?limit=1000").json();
    List<String> names = new ArrayList<>();
    listing.get("pools").forEach(shown -> names.add(shown.get("name").asText()));
    assertThat(names).contains("default", pool);
    assertThat(names).isSorted();
    JsonNode defaultPool = admin.get("/api/admin/pools/default").json();
    assertThat(defaultPool.get("size").asInt()).isEqualTo(POOL_SIZE);
    assertThat(defaultPool.get("set_by").isNull()).isTrue();
    assertThat(service.get("/api/tokens").json().get("tokens")).hasSize(POOL_SIZE);
    assertThat(admin.get("/api/admin/pool?pool=" + pool).json().get("size").asInt()).isEqualTo(1);
    JsonNode firstPage = admin.get("/api/admin/pools?limit=1").json();
    assertThat(firstPage.get("pools")).hasSize(1);
    assertThat(firstPage.get("next_after").asText()).isNotEmpty();
  }
}
