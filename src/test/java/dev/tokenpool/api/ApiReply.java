package dev.tokenpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@link InMemoryApi} answered: status, headers (any case) and body as text. */
record ApiReply(int status, Map<String, List<String>> headers, String body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static ApiReply of(int status, Map<String, List<String>> headers, ByteArrayOutputStream body) {
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> byName.put(name, List.copyOf(values)));
    return new ApiReply(status, byName, body.toString(StandardCharsets.UTF_8));
  }

  /** The header's values joined as HTTP would fold them, or null if it is absent. */
  String header(String name) {
    List<String> values = headers.get(name);
    return values == null ? null : String.join(",", values);
  }

  MediaType contentType() {
    String type = header(HttpHeaders.CONTENT_TYPE);
    return type == null ? null : MediaType.valueOf(type);
  }

  JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("Not JSON: " + body, e);
    }
  }
}
