package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.TomcatNode;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus (Debian's) scrapes a node with the monitor login, as docs/operations.md
 * configures it, and answers the activation p99 from the node's latency histogram through its HTTP
 * API, with the gauges the alert rules of deploy/prometheus/alerts.yml read; every query of the
 * Grafana dashboard deploy/grafana/tokenpool.json runs there.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrometheusScrapeIT {

  private static final String MONITOR_PASSWORD = "monitor-password-scrape";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    Path dataDir = Files.createTempDirectory("tokenpool-scrape-it");
    return Deployments.realWar(
        "scrape",
        Map.of(
            "TOKENPOOL_DATA_DIR",
            dataDir.toString(),
            "TOKENPOOL_NODE_ID",
            "scraped-node",
            "TOKENPOOL_MONITOR_USER",
            "watcher",
            "TOKENPOOL_MONITOR_PASSWORD",
            MONITOR_PASSWORD));
  }

  @ArquillianResource URL base;

  @Test
  void prometheusReadsTheActivationP99AndTheAlertsGauges() throws Exception {
    ApiClient service =
        ApiClient.withNewKey(base, "tokens:any-user", "scrape-" + UUID.randomUUID());
    for (int i = 0; i < 20; i++) {
      assertThat(service.activate("scrape-user-" + i).status()).isEqualTo(200);
    }
    Path home = Files.createTempDirectory("tokenpool-prometheus");
    Path password = home.resolve("monitor-password");
    Files.writeString(password, MONITOR_PASSWORD);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path config = home.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "scrape_configs:",
            "  - job_name: tokenpool",
            "    metrics_path: " + base.getPath().replaceAll("/$", "") + "/metrics",
            "    basic_auth:",
            "      username: watcher",
            "      password_file: " + password,
            "    static_configs:",
            "      - targets: ['" + base.getHost() + ":" + base.getPort() + "']",
            ""));
    int port = TomcatNode.freePort();
    Process prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("prometheus.log").toFile())
            .start();
    try {
      String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
      String p99 =
          "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket"
              + "{uri=\"/api/tokens/activate\",outcome=\"SUCCESS\"}[1m])))";
      // The activations above happened before the first scrape: more, while it scrapes.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(
              () -> {
                service.activate("scrape-user-" + UUID.randomUUID());
                return number(query(api + encode(p99))) > 0;
              });
      double seconds = number(query(api + encode(p99)));
      assertThat(seconds).isBetween(0.0001, 30.0);
      assertThat(number(query(api + encode("tokenpool_ready{node=\"scraped-node\"}"))))
          .isEqualTo(1.0);
      assertThat(
              number(
                  query(
                      api
                          + encode(
                              "tokenpool_job_paused{job_name=\"expire-tokens\","
                                  + "node=\"scraped-node\"}"))))
          .isZero();
      assertThat(
              number(
                  query(
                      api
                          + encode(
                              "tokenpool_pool_tokens{pool=\"default\",state=\"available\","
                                  + "node=\"scraped-node\"}"))))
          .isGreaterThanOrEqualTo(0.0);
      // Every query of the shipped dashboard is valid PromQL over these series, and its panels
      // of activations, latency and tokens have data.
      JsonNode dashboard = JSON.readTree(Path.of("deploy/grafana/tokenpool.json").toFile());
      int withData = 0;
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          JsonNode answer = query(api + encode(target.get("expr").asText()));
          assertThat(answer.path("status").asText())
              .as("%s: %s", panel.get("title").asText(), answer)
              .isEqualTo("success");
          if (!answer.path("data").path("result").isEmpty()) {
            withData++;
          }
        }
      }
      assertThat(withData).isGreaterThanOrEqualTo(6);
    } finally {
      prometheus.destroy();
      prometheus.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static String encode(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  private static JsonNode query(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** The first sample's value of an instant vector; NaN when there is none. */
  private static double number(JsonNode answer) {
    JsonNode result = answer.path("data").path("result");
    if (!result.isArray() || result.isEmpty()) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }
}
