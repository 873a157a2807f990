package dev.tokenpool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP against a deployed node, with just enough JSON help for assertions. */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final HttpClient http = HTTP;
  private final URI base;
  private final String authorization;

  /** An anonymous client. */
  public ApiClient(URL base) {
    this(uri(base), null);
  }

  private ApiClient(URI base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  private static URI uri(URL base) {
    String text = base.toString();
    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /** This client, sending the given Authorization header on every request. */
  public ApiClient withAuthorization(String header) {
    return new ApiClient(base, header);
  }

  /** This client, sending the credential as a bearer token on every request. */
  public ApiClient withBearer(String credential) {
    return withAuthorization("Bearer " + credential);
  }

  /**
   * A client holding a new API key of the given scope, created through the admin API with the
   * deployments' admin login ({@link Deployments#ADMIN_PASSWORD}); a holder key acts as {@code
   * name}.
   */
  public static ApiClient withNewKey(URL base, String scope, String name) {
    return new ApiClient(base).withBearer(createKey(base, scope, name));
  }

  /** A client with a new operator key: it may name any user, release anything, clear the pool. */
  public static ApiClient operator(URL base) {
    return withNewKey(base, "tokens:admin", "operator-" + java.util.UUID.randomUUID());
  }

  /** A new API key's secret, created through the admin API. */
  public static String createKey(URL base, String scope, String name) {
    Reply created =
        new ApiClient(base)
            .withAuthorization(basic("admin", Deployments.ADMIN_PASSWORD))
            .postJson(
                "/api/admin/api-keys", "{\"name\":\"" + name + "\",\"scope\":\"" + scope + "\"}");
    if (created.status() != 201) {
      throw new IllegalStateException("Could not create an API key: " + created);
    }
    return created.text("key");
  }

  public Reply get(String path) {
    return send(authorized(HttpRequest.newBuilder(uri(path)).GET()));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  /**
   * GET or POST (empty body) with an Authorization header, or none when it is null; anything but a
   * GET says {@code Content-Type: application/json}, as the admin API requires of changes.
   */
  public Reply as(String authorization, String method, String path) {
    return as(
        authorization,
        method,
        path,
        method.equals("GET")
            ? java.util.Map.of()
            : java.util.Map.of("Content-Type", "application/json"));
  }

  /** A request with an empty body and exactly these headers besides Authorization. */
  public Reply as(
      String authorization, String method, String path, java.util.Map<String, String> headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    headers.forEach(builder::header);
    return send(builder);
  }

  /** A request with a JSON body and an Authorization header, or none when it is null. */
  public Reply asJson(String authorization, String method, String path, String json) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return send(builder);
  }

  /** An HTTP Basic Authorization header value. */
  public static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Reply delete(String path) {
    return send(authorized(HttpRequest.newBuilder(uri(path)).DELETE()));
  }

  public Reply postJson(String path, String json) {
    return send(
        authorized(HttpRequest.newBuilder(uri(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply patchJson(String path, String json) {
    return send(
        authorized(HttpRequest.newBuilder(uri(path)))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Sends without waiting for the answer, which is checked against the contract as it comes. */
  public java.util.concurrent.CompletableFuture<Reply> postJsonAsync(String path, String json) {
    HttpRequest sent =
        authorized(HttpRequest.newBuilder(uri(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(60))
            .build();
    return http.sendAsync(sent, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              checkAgainstTheContract(sent, response);
              return new Reply(response);
            });
  }

  public Reply post(String path) {
    return send(
        authorized(HttpRequest.newBuilder(uri(path))).POST(HttpRequest.BodyPublishers.noBody()));
  }

  public Reply send(
      String method, String path, String contentType, HttpRequest.BodyPublisher body) {
    HttpRequest.Builder builder =
        authorized(HttpRequest.newBuilder(uri(path))).method(method, body);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder);
  }

  public Reply activate(String userId) {
    return postJson("/api/tokens/activate", "{\"user_id\":\"" + userId + "\"}");
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpRequest sent = request.timeout(Duration.ofSeconds(30)).build();
      HttpResponse<String> response = http.send(sent, HttpResponse.BodyHandlers.ofString());
      checkAgainstTheContract(sent, response);
      return new Reply(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every answer to an operation the contract documents must be one it documents, body valid
   * against its schema. Paths and methods outside the contract (the tests' deliberate 404s and
   * 405s, odd spellings) are left to the tests themselves.
   */
  private void checkAgainstTheContract(HttpRequest sent, HttpResponse<String> response) {
    String path = sent.uri().getRawPath().substring(base.getRawPath().length());
    Contract contract = Contract.load();
    if (contract.documents(sent.method(), path)) {
      contract.assertConforms(
          sent.method(),
          path,
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body());
    }
  }

  /** A response: status, headers and the body, parsed as JSON on demand. */
  public record Reply(HttpResponse<String> response) {

    public int status() {
      return response.statusCode();
    }

    public String body() {
      return response.body();
    }

    public String contentType() {
      return response.headers().firstValue("Content-Type").orElse("");
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("Not JSON (" + status() + "): " + response.body(), e);
      }
    }

    public String text(String field) {
      JsonNode node = json().get(field);
      return node == null || node.isNull() ? null : node.asText();
    }

    @Override
    public String toString() {
      return status() + " " + response.body();
    }
  }
}
