package dev.tokenpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Bearer credentials of the token API for the load generator: API keys made through the admin API,
 * and files of credentials (one a line, mode 600) that the wrk scripts read by the path in {@code
 * BENCH_CREDENTIALS}, so that no credential is ever on a command line or in a log.
 */
final class BenchCredentials {

  /** The scope that lets a client name any user id, as the benchmark's random users need. */
  static final String SERVICE_SCOPE = "tokens:any-user";

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchCredentials() {}

  /** Creates {@code count} API keys named {@code prefix-1} and on; returns their secrets. */
  static List<String> createApiKeys(String nodeUrl, String prefix, int count)
      throws IOException, InterruptedException {
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(nodeUrl + "/api/admin/api-keys"))
                  .header("Authorization", adminLogin())
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\""
                              + prefix
                              + "-"
                              + i
                              + "\",\"scope\":\""
                              + SERVICE_SCOPE
                              + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IllegalStateException(
            "POST /api/admin/api-keys answered " + response.statusCode() + ": " + response.body());
      }
      JsonNode key = JSON.readTree(response.body()).get("key");
      if (key == null || !key.asText().startsWith("tpk_")) {
        throw new IllegalStateException("POST /api/admin/api-keys answered no key");
      }
      keys.add(key.asText());
    }
    return keys;
  }

  static String adminLogin() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + Benchmark.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the credentials, one a line, to a file only its owner can read. */
  static Path write(Path file, List<String> credentials) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(file, credentials);
    return file;
  }

  /**
   * Sends one activation with {@code bearer} (none if null) and returns the status, to check a
   * node's authentication before it is measured. The credential goes in no message.
   */
  static int activateOnce(String nodeUrl, String bearer) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(nodeUrl + "/api/tokens/activate"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"user_id\":\"" + java.util.UUID.randomUUID() + "\"}"));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
