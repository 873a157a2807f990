package dev.tokenpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's OpenAPI 3.1 contract: {@code docs/openapi.yaml}, which the build copies into the WAR,
 * served as it is at {@code /openapi.yaml} and converted at {@code /openapi.json}. One source, so
 * the document clients read is the one the tests check against the API.
 */
@Path("/")
public final class OpenApiResource {

  static final String DOCUMENT = "openapi.yaml";
  static final String YAML = "application/yaml";

  private final String yaml;
  private volatile String json; // converted on first request: the YAML parser costs ~0.4 s cold

  private OpenApiResource(String yaml) {
    this.yaml = yaml;
  }

  /**
   * Reads the contract from the class path; a WAR without it is a broken build. The JSON form is
   * made on first request, not here, to keep it off the node's startup.
   */
  public static OpenApiResource load() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(
            DOCUMENT + " is missing from the build (docs/openapi.yaml)");
      }
      return new OpenApiResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + DOCUMENT, e);
    }
  }

  @GET
  @Path("openapi.yaml")
  @Produces(YAML)
  public String yaml() {
    return yaml;
  }

  @GET
  @Path("openapi.json")
  @Produces(MediaType.APPLICATION_JSON)
  public String json() {
    String converted = json;
    if (converted == null) {
      converted = toJson(yaml); // two first requests at once both convert: harmless
      json = converted;
    }
    return converted;
  }

  private static String toJson(String yaml) {
    try {
      JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot convert " + DOCUMENT + " to JSON", e);
    }
  }
}
