package dev.tokenpool.deployed;

import static dev.tokenpool.testing.ApiClient.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API over HTTP with no, wrong, read-only and admin credentials, and the effects of
 * pause, resume and trigger in the run history (expiry every second, tokens live one second); what
 * the console reads: the login's role, the pool's recent activity, the cluster's nodes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminApiIT {

  private static final String ADMIN = basic("admin", "admin-password-1");
  private static final String MONITOR = basic("watcher", "monitor-password-1");
  private static final String JOB = "/api/admin/jobs/expire-tokens";

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    return Deployments.realWar(
        "admin",
        Map.of(
            "TOKENPOOL_DATA_DIR", Files.createTempDirectory("tokenpool-admin-it").toString(),
            "TOKENPOOL_POOL_SIZE", "5",
            "TOKENPOOL_TOKEN_LIFETIME", "PT1S",
            "TOKENPOOL_EXPIRY_INTERVAL", "PT1S",
            // Each expiry run lasts a moment, so that the job is seen running.
            "TOKENPOOL_EXPIRY_RUN_DELAY", "PT0.3S",
            "TOKENPOOL_ADMIN_PASSWORD", "admin-password-1",
            "TOKENPOOL_MONITOR_USER", "watcher",
            "TOKENPOOL_MONITOR_PASSWORD", "monitor-password-1"));
  }

  @ArquillianResource URL base;

  private ApiClient api;
  private ApiClient tokens;

  @BeforeEach
  void client() {
    api = new ApiClient(base);
    tokens = ApiClient.operator(base);
  }

  @AfterEach
  void leaveTheJobRunning() {
    api.as(ADMIN, "POST", JOB + "/resume");
  }

  @Test
  void withoutValidCredentialsEveryAdminPathIsUnauthorizedWithAChallenge() {
    for (String authorization :
        new String[] {
          null,
          basic("admin", "wrong-password"),
          basic("nobody", "admin-password-1"),
          basic("watcher", "admin-password-1"),
          "Basic not-base64!",
          "Bearer admin-password-1"
        }) {
      for (String[] call :
          List.of(
              new String[] {"GET", "/api/admin/jobs"},
              new String[] {"GET", JOB},
              new String[] {"POST", JOB + "/pause"},
              new String[] {"PUT", JOB + "/schedule"},
              new String[] {"DELETE", JOB + "/schedule"},
              new String[] {"POST", "/api/admin/expire-now"},
              new String[] {"GET", "/api/admin/events"},
              new String[] {"POST", "/api/admin/drain"},
              new String[] {"DELETE", "/api/admin/drain"},
              new String[] {"GET", "/api/admin/pools"},
              new String[] {"POST", "/api/admin/pools"},
              new String[] {"PATCH", "/api/admin/pools/default"},
              new String[] {"DELETE", "/api/admin/pools/default"},
              new String[] {"GET", "/api/admin/no-such-thing"})) {
        Reply reply = api.as(authorization, call[0], call[1]);
        assertThat(reply.status())
            .as("%s %s with %s", call[0], call[1], authorization)
            .isEqualTo(401);
        // A bearer credential is answered in its own scheme (RFC 6750), a login in Basic's.
        assertThat(reply.header("WWW-Authenticate"))
            .startsWith(
                authorization != null && authorization.startsWith("Bearer")
                    ? "Bearer realm="
                    : "Basic realm=");
        assertThat(reply.contentType()).startsWith("application/problem+json");
      }
    }
  }

  @Test
  void aScriptWithoutALoginGetsAChallengeThatOpensNoBrowserDialog() {
    Reply script =
        api.as(null, "GET", "/api/admin/me", Map.of("X-Requested-With", "tokenpool-console"));
    assertThat(script.status()).isEqualTo(401);
    assertThat(script.header("WWW-Authenticate"))
        .startsWith("Cookie realm=\"tokenpool-admin\"")
        .doesNotContain("Basic");
    assertThat(api.as(null, "GET", "/api/admin/me").header("WWW-Authenticate"))
        .as("anything else, such as curl, is offered Basic")
        .startsWith("Basic realm=");
  }

  @Test
  void noSpellingOfAnAdminPathGetsPastTheLogin() {
    for (String[] call :
        List.of(
            new String[] {"GET", "/api/admin;x=1/jobs"},
            new String[] {"GET", "/api;a=b/admin/jobs"},
            new String[] {"GET", "/api/admin/jobs;x=1"},
            new String[] {"POST", "/api/admin;x=1/jobs/expire-tokens/pause"},
            new String[] {"POST", "/api/admin;a/expire-now"},
            // (Tomcat itself answers 400 to an encoded slash; that never reaches the node.)
            new String[] {"GET", "//api//admin/jobs"})) {
      Reply anonymous = api.as(null, call[0], call[1]);
      // Jetty refuses empty segments itself (400), Tomcat passes them on to the node (401).
      assertThat(anonymous.status())
          .as("%s %s", call[0], call[1])
          .isIn(call[1].contains("//") ? List.of(400, 401) : List.of(401));
      Reply monitor = api.as(MONITOR, call[0], call[1]);
      if (call[0].equals("POST")) {
        assertThat(monitor.status()).as("monitor %s %s", call[0], call[1]).isEqualTo(403);
      }
    }
    assertThat(api.as(null, "GET", "/api/admin%2Fjobs").status()).isEqualTo(400);
    assertThat(api.as(null, "GET", "/api/./admin/jobs").status()).isIn(401, 404);
    assertThat(api.as(ADMIN, "GET", JOB).text("state")).isNotEqualTo("PAUSED");
  }

  @Test
  void aChangeThatAFormOnAnotherSiteCouldSendIsRefused() {
    for (String formType :
        List.of(
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain")) {
      Reply reply = api.as(ADMIN, "POST", JOB + "/pause", Map.of("Content-Type", formType));
      assertThat(reply.status()).as(formType).isEqualTo(415);
      assertThat(reply.contentType()).startsWith("application/problem+json");
    }
    Reply bare = api.as(ADMIN, "POST", "/api/admin/expire-now", Map.of());
    assertThat(bare.status()).isEqualTo(403);
    assertThat(bare.text("detail")).contains("application/json", "X-Requested-With");
    assertThat(api.as(ADMIN, "GET", JOB).text("state")).isNotEqualTo("PAUSED");

    assertThat(api.as(ADMIN, "POST", JOB + "/pause", Map.of("X-Requested-With", "curl")).status())
        .isEqualTo(200);
    assertThat(api.as(ADMIN, "GET", JOB).text("state")).isEqualTo("PAUSED");
    assertThat(
            api.as(
                    ADMIN,
                    "POST",
                    JOB + "/resume",
                    Map.of("Content-Type", "application/json; charset=utf-8"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void theMonitorReadsButMayNotChangeAnything() {
    assertThat(api.as(MONITOR, "GET", "/api/admin/jobs").status()).isEqualTo(200);
    assertThat(api.as(MONITOR, "GET", JOB).status()).isEqualTo(200);
    assertThat(api.as(MONITOR, "GET", JOB + "/runs?limit=3").status()).isEqualTo(200);
    for (String path :
        List.of(JOB + "/pause", JOB + "/resume", JOB + "/trigger", "/api/admin/expire-now")) {
      Reply reply = api.as(MONITOR, "POST", path);
      assertThat(reply.status()).as(path).isEqualTo(403);
      assertThat(reply.contentType()).startsWith("application/problem+json");
    }
    assertThat(api.as(ADMIN, "GET", JOB).text("state")).isNotEqualTo("PAUSED");
  }

  @Test
  void aDrainingNodeIsUnreadyAliveAndStillServingUntilPutBack() {
    assertThat(api.as(MONITOR, "POST", "/api/admin/drain").status()).isEqualTo(403);
    assertThat(api.get("/health/ready").status()).isEqualTo(200);

    Reply drained = api.as(ADMIN, "POST", "/api/admin/drain");
    try {
      assertThat(drained.status()).isEqualTo(200);
      assertThat(drained.json().get("draining").asBoolean()).isTrue();
      assertThat(drained.text("since")).isNotEmpty();
      assertThat(api.get("/health/ready").status()).isEqualTo(503);
      assertThat(api.get("/health/live").status()).isEqualTo(200);
      assertThat(api.as(MONITOR, "GET", "/api/admin/drain").json().get("draining").asBoolean())
          .isTrue();
      // Requests that still reach a draining node are served.
      assertThat(api.as(ADMIN, "GET", "/api/admin/jobs").status()).isEqualTo(200);
      assertThat(api.as(ADMIN, "POST", "/api/admin/drain").text("since"))
          .isEqualTo(drained.text("since"));
    } finally {
      assertThat(api.as(ADMIN, "DELETE", "/api/admin/drain").status()).isEqualTo(200);
    }
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
    assertThat(api.as(MONITOR, "GET", "/api/admin/drain").json().get("draining").asBoolean())
        .isFalse();
  }

  @Test
  void theAdminSeesEveryJobWithItsScheduleAndLatestRun() {
    JsonNode jobs = api.as(ADMIN, "GET", "/api/admin/jobs").json().get("jobs");

    assertThat(StreamSupport.stream(jobs.spliterator(), false).map(j -> j.get("name").asText()))
        .containsExactlyInAnyOrder(
            "expire-tokens", "prune-job-runs", "prune-usage-history", "reconcile-pools");
    JsonNode job = api.as(ADMIN, "GET", JOB).json();
    assertThat(job.get("interval").asText()).isEqualTo("PT1S");
    assertThat(job.get("state").asText()).isIn("NORMAL", "BLOCKED");
    assertThat(job.get("next_fire_time").asText()).endsWith("Z");
    assertThat(job.has("last_run_outcome")).isTrue();
    Reply unknown = api.as(ADMIN, "GET", "/api/admin/jobs/make-coffee");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text("detail")).contains("expire-tokens");
    assertThat(api.as(ADMIN, "POST", "/api/admin/jobs/make-coffee/pause").status()).isEqualTo(404);
  }

  @Test
  void anAdminChangesAJobsIntervalAtRuntimeAndGivesItBackToItsSetting() {
    String job = "/api/admin/jobs/prune-job-runs";
    Reply changed = api.asJson(ADMIN, "PUT", job + "/schedule", "{\"interval\":\"PT2S\"}");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.text("interval")).isEqualTo("PT2S");
    assertThat(changed.text("interval_set_by")).isEqualTo("admin");
    assertThat(changed.text("interval_set_at")).endsWith("Z");
    assertThat(api.as(MONITOR, "GET", job).text("interval")).isEqualTo("PT2S");
    // The next run comes within the new interval (not at the old hourly slot), and says so.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode runs = api.as(ADMIN, "GET", job + "/runs?limit=1").json().get("runs");
              return runs.size() == 1
                  && "PT2S".equals(runs.get(0).get("schedule").asText())
                  && !runs.get(0).get("manual").asBoolean();
            });

    for (String body :
        List.of(
            "{\"interval\":\"PT0.5S\"}",
            "{\"interval\":\"P2D\"}",
            "{\"interval\":\"soon\"}",
            "{}")) {
      Reply refused = api.asJson(ADMIN, "PUT", job + "/schedule", body);
      assertThat(refused.status()).as(body).isEqualTo(400);
      assertThat(refused.text("detail")).as(body).startsWith("interval:");
    }
    assertThat(api.asJson(ADMIN, "PUT", job + "/schedule", "{\"interval\":30}").text("type"))
        .endsWith("/malformed-body");
    assertThat(api.asJson(MONITOR, "PUT", job + "/schedule", "{\"interval\":\"PT5S\"}").status())
        .isEqualTo(403);
    assertThat(
            api.asJson(
                    ADMIN, "PUT", "/api/admin/jobs/make-coffee/schedule", "{\"interval\":\"PT5S\"}")
                .status())
        .isEqualTo(404);
    assertThat(api.as(ADMIN, "GET", job).text("interval"))
        .as("nothing refused changed it")
        .isEqualTo("PT2S");

    Reply reset = api.as(ADMIN, "DELETE", job + "/schedule");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.text("interval")).as("TOKENPOOL_PRUNE_INTERVAL's default").isEqualTo("PT1H");
    assertThat(reset.text("interval_set_by")).isEqualTo("setting");
    assertThat(api.as(MONITOR, "DELETE", job + "/schedule").status()).isEqualTo(403);
  }

  @Test
  void pauseStopsTheScheduleTriggerRunsOnceAnywayAndResumeRestartsIt() {
    Reply paused = api.as(ADMIN, "POST", JOB + "/pause");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.text("state")).isEqualTo("PAUSED");
    long scheduled = runs(false);
    await()
        .during(Duration.ofMillis(3_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> runs(false) == scheduled);

    long manual = runs(true);
    assertThat(api.as(ADMIN, "POST", JOB + "/trigger").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs(true) == manual + 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> runs(true) == manual + 1 && runs(false) == scheduled);

    assertThat(api.as(ADMIN, "POST", JOB + "/resume").text("state")).isIn("NORMAL", "BLOCKED");
    await().atMost(Duration.ofSeconds(10)).until(() -> runs(false) > scheduled);
  }

  @Test
  void expireNowEndsExactlyTheExpiredUsagesAndSaysHowMany() {
    api.as(ADMIN, "POST", JOB + "/pause");
    // Usages that other tests opened end first (tokens live one second).
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tokens.get("/api/tokens").json().get("active_count").asLong() == 0);
    api.as(ADMIN, "POST", "/api/admin/expire-now");
    String first = tokens.activate(UUID.randomUUID().toString()).text("token_id");
    String second = tokens.activate(UUID.randomUUID().toString()).text("token_id");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                tokens.get("/api/tokens/" + first).text("state").equals("available")
                    && tokens.get("/api/tokens/" + second).text("state").equals("available"));

    Reply released = api.as(ADMIN, "POST", "/api/admin/expire-now");

    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().get("released").asInt()).isEqualTo(2);
    assertThat(api.as(ADMIN, "POST", "/api/admin/expire-now").json().get("released").asInt())
        .isZero();
    JsonNode last = api.as(ADMIN, "GET", JOB + "/runs?limit=1").json().get("runs").get(0);
    assertThat(last.get("manual").asBoolean()).isTrue();
  }

  @Test
  void theLoginSaysWhoItIsAndWhatItMayDo() {
    Reply admin = api.as(ADMIN, "GET", "/api/admin/me");
    assertThat(admin.text("user")).isEqualTo("admin");
    assertThat(admin.text("role")).isEqualTo("ADMIN");
    Reply monitor = api.as(MONITOR, "GET", "/api/admin/me");
    assertThat(monitor.text("user")).isEqualTo("watcher");
    assertThat(monitor.text("role")).isEqualTo("MONITOR");
    assertThat(api.as(null, "GET", "/api/admin/me").status()).isEqualTo(401);
  }

  @Test
  void thePoolCountsEachActivationAndRenewalInTheCurrentMinutes() {
    long before = shown("activations");
    long renewalsBefore = shown("renewals");

    for (int i = 0; i < 2; i++) {
      tokens.activate(UUID.randomUUID().toString());
    }
    JsonNode held =
        tokens
            .postJson(
                "/api/tokens/activate",
                "{\"user_id\":\"" + UUID.randomUUID() + "\",\"lease\":\"PT10S\"}")
            .json();
    assertThat(
            tokens
                .postJson(
                    "/api/tokens/" + held.get("token_id").asText() + "/renew",
                    "{\"fence\":" + held.get("fence").asLong() + "}")
                .status())
        .isEqualTo(200);

    JsonNode pool = api.as(MONITOR, "GET", "/api/admin/pool").json();
    assertThat(shown("activations")).isEqualTo(before + 3);
    assertThat(shown("renewals")).isEqualTo(renewalsBefore + 1);
    assertThat(pool.get("size").asLong()).isEqualTo(5);
    assertThat(pool.get("active").asLong() + pool.get("available").asLong()).isEqualTo(5);
    assertThat(pool.get("token_lifetime").asText()).isEqualTo("PT1S");
    assertThat(pool.get("activity").get("complete").asBoolean()).isTrue();
    assertThat(pool.get("activity").get("minutes")).hasSize(10);
  }

  @Test
  void theClusterShowsThisNodeAliveWithTheRunsItRan() {
    await().atMost(Duration.ofSeconds(10)).until(() -> runs(false) > 0);

    JsonNode cluster = api.as(MONITOR, "GET", "/api/admin/nodes").json();

    String self = cluster.get("served_by").asText();
    assertThat(cluster.get("latest_runs_considered").asInt()).isEqualTo(50);
    assertThat(cluster.get("nodes")).hasSize(1);
    JsonNode node = cluster.get("nodes").get(0);
    assertThat(node.get("node_id").asText()).isEqualTo(self);
    assertThat(node.get("alive").asBoolean()).isTrue();
    assertThat(node.get("check_in_interval").asText()).startsWith("PT");
    assertThat(node.get("runs_in_latest").asInt()).isPositive();
    assertThat(node.get("latest_run").get("node_id").asText()).isEqualTo(self);
  }

  @Test
  void aJobShowsWhereItRunsWhileItRuns() {
    String self = api.as(MONITOR, "GET", "/api/admin/nodes").text("served_by");

    JsonNode running =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> api.as(MONITOR, "GET", JOB).json(), job -> !job.get("running_on").isEmpty());

    assertThat(running.get("running_on")).extracting(JsonNode::asText).containsExactly(self);
    JsonNode finished =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> api.as(MONITOR, "GET", JOB).json(),
                job -> job.get("last_run_duration_millis").isNumber());
    assertThat(finished.get("last_run_duration_millis").asLong()).isGreaterThanOrEqualTo(300);
  }

  /** The sum over the minutes shown of one count of GET /api/admin/pool. */
  private long shown(String count) {
    JsonNode minutes =
        api.as(MONITOR, "GET", "/api/admin/pool").json().get("activity").get("minutes");
    return StreamSupport.stream(minutes.spliterator(), false)
        .mapToLong(minute -> minute.get(count).asLong())
        .sum();
  }

  /** Runs of the expiry job recorded so far, manual or scheduled. */
  private long runs(boolean manual) {
    JsonNode runs = api.as(ADMIN, "GET", JOB + "/runs?limit=1000").json().get("runs");
    return StreamSupport.stream(runs.spliterator(), false)
        .filter(run -> run.get("manual").asBoolean() == manual)
        .count();
  }
}
