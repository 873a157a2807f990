package dev.tokenpool.release;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP to a node these tests started as an operator would: from a release, an image. */
final class NodeHttp {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private NodeHttp() {}

  /** GET {@code url}, with the API key as bearer token when one is given. */
  static HttpResponse<String> get(String url, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Activates a token for {@code userId} in the default pool of the node at {@code base}. */
  static HttpResponse<String> activate(String base, String key, String userId) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/api/tokens/activate"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + userId + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
