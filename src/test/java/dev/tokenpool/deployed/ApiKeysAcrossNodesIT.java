package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import dev.tokenpool.testing.TomcatNode;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes as operators run them (deploy/run.sh, official Tomcat) on one MariaDB database: an API
 * key created on one node is accepted by the other at once, a key revoked on one is refused by the
 * other within its cache's lifetime, and both acts are in the audit log with the operator, never
 * the key.
 */
class ApiKeysAcrossNodesIT {

  private static final String ADMIN_PASSWORD = "cluster-admin-password";
  private static TestDatabase database;
  private static TomcatNode first;
  private static TomcatNode second;

  @BeforeAll
  static void startTwoNodes() {
    database = MariaDbServer.createDatabase("keys");
    Map<String, String> env = new HashMap<>();
    env.put("TOKENPOOL_DB_URL", database.url());
    env.put("TOKENPOOL_DB_USER", database.user());
    env.put("TOKENPOOL_DB_PASSWORD", database.password());
    env.put("TOKENPOOL_POOL_SIZE", "5");
    env.put("TOKENPOOL_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("TOKENPOOL_API_KEY_CACHE", "PT2S");
    CompletableFuture<TomcatNode> a =
        CompletableFuture.supplyAsync(() -> TomcatNode.start("keys-a", TomcatNode.freePort(), env));
    CompletableFuture<TomcatNode> b =
        CompletableFuture.supplyAsync(() -> TomcatNode.start("keys-b", TomcatNode.freePort(), env));
    first = a.join();
    second = b.join();
  }

  @AfterAll
  static void stopTheNodes() {
    for (TomcatNode node : new TomcatNode[] {first, second}) {
      if (node != null) {
        node.close();
      }
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aKeyMadeOnOneNodeWorksOnTheOtherAndItsRevocationReachesEveryNode() throws Exception {
    ApiClient adminOnFirst = admin(first);
    Reply created =
        adminOnFirst.postJson(
            "/api/admin/api-keys", "{\"name\":\"billing\",\"scope\":\"tokens:any-user\"}");
    assertThat(created.status()).isEqualTo(201);
    String key = created.text("key");
    ApiClient onFirst = new ApiClient(url(first)).withBearer(key);
    ApiClient onSecond = new ApiClient(url(second)).withBearer(key);
    assertThat(onSecond.activate("customer-1").status()).isEqualTo(200);
    assertThat(onFirst.get("/api/tokens").status()).isEqualTo(200);

    assertThat(
            admin(second)
                .as(
                    ApiClient.basic("admin", ADMIN_PASSWORD),
                    "DELETE",
                    "/api/admin/api-keys/" + created.text("id"))
                .status())
        .isEqualTo(204);

    await().atMost(Duration.ofSeconds(10)).until(() -> onFirst.get("/api/tokens").status() == 401);
    assertThat(onSecond.get("/api/tokens").status()).isEqualTo(401);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(second.log())
                    .contains(
                        "action=admin principal=\"admin\" via=\"basic\" method=\"DELETE\" path=\"/api/admin/api-keys/"
                            + created.text("id")
                            + "\" status=\"204\""));
    assertThat(first.log())
        .contains("action=admin principal=\"admin\" via=\"basic\" method=\"POST\"")
        .doesNotContain(key);
    assertThat(second.log()).doesNotContain(key).doesNotContain(ADMIN_PASSWORD);
  }

  @Test
  void aNodeOnAnExternalDatabaseCreatesNoFirstStartKey() {
    assertThat(first.log()).doesNotContain("initial-api-key");
    assertThat(admin(first).get("/api/admin/api-keys").body()).doesNotContain("quickstart");
  }

  private static ApiClient admin(TomcatNode node) {
    return new ApiClient(url(node)).withAuthorization(ApiClient.basic("admin", ADMIN_PASSWORD));
  }

  private static URL url(TomcatNode node) {
    try {
      return URI.create(node.url()).toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
