package dev.tokenpool.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenpool.testing.TomcatNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code TOKENPOOL_LOG_FORMAT=json} on a node as operators run it ({@code deploy/run.sh}, the
 * official Tomcat, the embedded database): after an activation with an API key, a refused key, an
 * operator's requests and a job run, every line on standard output is a JSON object (for Jackson
 * and for {@code jq}): run.sh's, Tomcat's own, the access log's and the application's, with the
 * node, request id, principal and job run id where they belong, and no credential the test used.
 * Standard output is a file the JVM opened without append, as a supervisor may give it.
 */
class JsonLogsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String NODE = "json-logs";

  @Test
  void everyLineOnStandardOutputIsAJsonObjectWithTheRequestsFieldsAndNoCredential()
      throws Exception {
    Path dir = Files.createTempDirectory("tokenpool-json-logs");
    Path stdout = dir.resolve("stdout.log");
    Path stderr = dir.resolve("stderr.log");
    String adminPassword = "pw-" + random(18);
    String wrongKey = "tpk_" + random(32);
    int port = TomcatNode.freePort();
    ProcessBuilder builder =
        new ProcessBuilder("bash", Path.of("deploy", "run.sh").toAbsolutePath().toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TOKENPOOL_"));
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("TOKENPOOL_BIND_ADDRESS", "127.0.0.1");
    builder.environment().put("TOKENPOOL_NODE_ID", NODE);
    builder.environment().put("TOKENPOOL_BASE_DIR", dir.resolve("catalina-base").toString());
    builder.environment().put("TOKENPOOL_DATA_DIR", dir.resolve("data").toString());
    builder.environment().put("TOKENPOOL_SKIP_BUILD", "1");
    builder.environment().put("TOKENPOOL_CDS", "0");
    builder.environment().put("TOKENPOOL_LOG_FORMAT", "json");
    builder.environment().put("TOKENPOOL_ADMIN_PASSWORD", adminPassword);
    // Every holding expires after a second and the expiry job runs every second: a job run that
    // logs, within the test.
    builder.environment().put("TOKENPOOL_TOKEN_LIFETIME", "PT1S");
    builder.environment().put("TOKENPOOL_EXPIRY_INTERVAL", "PT1S");
    Process node = builder.start();
    String url = "http://127.0.0.1:" + port;
    List<String> secrets = new ArrayList<>(List.of(adminPassword, wrongKey));
    HttpResponse<String> refused;
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .failFast("deploy/run.sh exited; see " + stdout, () -> !node.isAlive())
          .ignoreExceptions()
          .until(
              () ->
                  send(HttpRequest.newBuilder(URI.create(url + "/health/ready"))).statusCode()
                      == 200);
      String key = Files.readString(dir.resolve("data/initial-api-key")).strip();
      secrets.add(key);

      HttpResponse<String> activated =
          send(
              HttpRequest.newBuilder(URI.create(url + "/api/tokens/activate"))
                  .header("Authorization", "Bearer " + key)
                  .header("X-Request-Id", "activation-1")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"alice\"}")));
      assertThat(activated.statusCode()).isEqualTo(200);
      assertThat(activated.headers().firstValue("X-Request-Id")).hasValue("activation-1");

      refused =
          send(
              HttpRequest.newBuilder(URI.create(url + "/api/tokens?state=active"))
                  .header("Authorization", "Bearer " + wrongKey)
                  .header("X-Request-Id", "not a sane id: " + wrongKey));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("X-Request-Id").orElseThrow())
          .matches("[0-9a-f]{32}");

      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
      secrets.add(basic.substring("Basic ".length()));
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(URI.create(url + "/api/admin/api-keys"))
                  .header("Authorization", basic)
                  .header("X-Request-Id", "create-key-1")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"json-logs\",\"scope\":\"tokens\"}")));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      secrets.add(JSON.readTree(created.body()).get("key").asText());
      HttpResponse<String> triggered =
          send(
              HttpRequest.newBuilder(URI.create(url + "/api/admin/jobs/expire-tokens/trigger"))
                  .header("Authorization", basic)
                  .header("X-Request-Id", "trigger-1")
                  .header("X-Requested-With", "json-logs-it")
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(triggered.statusCode()).as(triggered.body()).isLessThan(300);

      // The activation's holding (a second long) is ended by a run of the expiry job.
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Files.readString(stdout).contains("Released 1 expired token(s) in run"));
    } finally {
      node.destroy(); // SIGTERM: Tomcat's shutdown hook stops the node, which logs its stop
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
    }

    String output = Files.readString(stdout);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      JsonNode parsed = JSON.readTree(line);
      assertThat(parsed.isObject()).as("a JSON object: %s", line).isTrue();
      lines.add(parsed);
    }
    assertThat(output).endsWith("\n");
    Process jq = new ProcessBuilder("jq", "-c", ".", stdout.toString()).start();
    jq.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    String jqErrors = new String(jq.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jq.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(jq.exitValue()).as("jq -c . %s: %s", stdout, jqErrors).isZero();

    // run.sh's messages, Tomcat's own log and the application's, each with its own fields.
    assertThat(lines)
        .anyMatch(
            line ->
                text(line, "logger").equals("deploy/run.sh") && text(line, "node").equals(NODE));
    assertThat(lines)
        .anyMatch(
            line ->
                text(line, "class").equals("org.apache.catalina.startup.Catalina")
                    && text(line, "message").startsWith("Server startup in"));
    assertThat(lines)
        .anyMatch(
            line ->
                text(line, "logger").equals("dev.tokenpool.bootstrap.TokenPoolNode")
                    && text(line, "node").equals(NODE)
                    && text(line, "message").startsWith("Node " + NODE + " started"));
    assertThat(lines.stream().filter(line -> line.has("logger")))
        .allMatch(line -> line.has("time") && line.has("level") && line.has("message"));

    // The access log: one line per request, with its principal and the id the client saw.
    JsonNode activation = access(lines, "/api/tokens/activate", "activation-1");
    assertThat(text(activation, "method")).isEqualTo("POST");
    assertThat(text(activation, "statusCode")).isEqualTo("200");
    assertThat(activation.at("/requestAttributes/tokenpool.principal").asText())
        .endsWith("/quickstart");
    JsonNode refusedAccess =
        access(lines, "/api/tokens", refused.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(text(refusedAccess, "statusCode")).isEqualTo("401");
    assertThat(refusedAccess.at("/requestAttributes/tokenpool.principal").asText()).isEqualTo("-");
    assertThat(
            access(lines, "/api/admin/api-keys", "create-key-1")
                .at("/requestAttributes/tokenpool.principal")
                .asText())
        .isEqualTo("basic/admin");

    // The application's lines of a request: the refused key's audit line, the operator's act.
    assertThat(lines)
        .anyMatch(
            line ->
                text(line, "logger").equals("tokenpool.audit")
                    && text(line, "message").contains("login-failed")
                    && text(line, "request_id")
                        .equals(refused.headers().firstValue("X-Request-Id").orElseThrow())
                    && text(line, "node").equals(NODE)
                    && !line.has("principal"));
    assertThat(lines)
        .anyMatch(
            line ->
                text(line, "message").equals("Job expire-tokens triggered by hand")
                    && text(line, "request_id").equals("trigger-1")
                    && text(line, "principal").equals("basic/admin")
                    && text(line, "node").equals(NODE));

    // A job run's line carries the run's id, and no request's.
    Pattern released = Pattern.compile("Released 1 expired token\\(s\\) in run (\\S+)");
    assertThat(lines)
        .anyMatch(
            line -> {
              Matcher run = released.matcher(text(line, "message"));
              return run.matches()
                  && text(line, "job_run_id").equals(run.group(1))
                  && !line.has("request_id");
            });

    String errors = Files.readString(stderr);
    for (String secret : secrets) {
      assertThat(output).as("standard output holds no credential").doesNotContain(secret);
      assertThat(errors).as("standard error holds no credential").doesNotContain(secret);
    }
    assertThat(dir.resolve("catalina-base/logs")).isEmptyDirectory();
  }

  private static JsonNode access(List<JsonNode> lines, String path, String requestId) {
    Predicate<JsonNode> matching =
        line ->
            text(line, "path").equals(path)
                && line.at("/requestAttributes/tokenpool.request_id").asText().equals(requestId);
    return lines.stream()
        .filter(matching)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no access log line of " + path + " " + requestId));
  }

  private static String text(JsonNode line, String field) {
    JsonNode value = line.get(field);
    return value == null ? "" : value.asText();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
