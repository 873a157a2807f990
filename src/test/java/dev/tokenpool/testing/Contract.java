package dev.tokenpool.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's contract, docs/openapi.yaml, as a test oracle: a real answer (method, path, status,
 * content type, body) must be one the contract documents, with a body valid against the schema it
 * gives, formats (uuid, date-time) included.
 */
public final class Contract {

  private static final String BASE = "https://tokenpool.dev/openapi.yaml";
  private static final Path DOCUMENT = Path.of("docs/openapi.yaml");
  private static volatile Contract loaded;

  private final JsonNode document;
  private final SchemaRegistry registry;

  private Contract(String yaml) throws IOException {
    this.document = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    this.registry =
        SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, yaml)));
  }

  /** The contract in docs/openapi.yaml, read once per test JVM. */
  public static Contract load() {
    if (loaded == null) {
      try {
        loaded = new Contract(Files.readString(DOCUMENT));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  /**
   * Asserts that the contract documents this answer. {@code path} is the request's path (with or
   * without its query) or a template of the contract.
   */
  public void assertConforms(
      String method, String path, int status, String contentType, String body) {
    String template = template(path.replaceFirst("\\?.*", ""));
    String operation = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
    assertThat(document.at(operation).isMissingNode())
        .as("%s %s is in the contract", method, template)
        .isFalse();
    String response = operation + "/responses/" + status;
    JsonNode answer = document.at(response);
    assertThat(answer.isMissingNode())
        .as("%s %s documents status %d (body %s)", method, template, status, body)
        .isFalse();
    if (answer.has("$ref")) {
      response = answer.get("$ref").asText().substring(1);
      answer = document.at(response);
    }
    if (contentType == null || contentType.isBlank() || body == null || body.isEmpty()) {
      return;
    }
    String media = contentType.replaceFirst(";.*", "").trim().toLowerCase(Locale.ROOT);
    String schema = response + "/content/" + escape(media) + "/schema";
    assertThat(document.at(schema).isMissingNode())
        .as("%s %s %d documents a %s body", method, template, status, media)
        .isFalse();
    if (!media.endsWith("json")) {
      return;
    }
    List<Error> errors =
        registry
            .getSchema(SchemaLocation.of(BASE + "#" + schema))
            .validate(
                body,
                InputFormat.JSON,
                c -> c.executionConfig(e -> e.formatAssertionsEnabled(true)));
    assertThat(errors).as("%s %s %d body %s", method, template, status, body).isEmpty();
  }

  /** Whether the contract has an operation for this method on this request path. */
  public boolean documents(String method, String path) {
    return findTemplate(path.replaceFirst("\\?.*", ""))
        .map(
            t ->
                !document
                    .at("/paths/" + escape(t) + "/" + method.toLowerCase(Locale.ROOT))
                    .isMissingNode())
        .orElse(false);
  }

  /** The contract's path template a concrete path falls under. */
  String template(String path) {
    return findTemplate(path)
        .orElseThrow(() -> new AssertionError("No path of the contract matches " + path));
  }

  private Optional<String> findTemplate(String path) {
    if (document.get("paths").has(path)) {
      return Optional.of(path);
    }
    for (String template : (Iterable<String>) () -> document.get("paths").fieldNames()) {
      String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/;%]+\\\\Q");
      if (path.matches(regex)) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
