package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The contract has one source: the WAR serves docs/openapi.yaml byte for byte at /openapi.yaml, and
 * the same document as JSON at /openapi.json.
 */
final class OpenApiDocumentTest {

  private static final InMemoryApi api = InMemoryApi.serving(withTheContract());

  @Test
  void theYamlServedIsDocsOpenapiYaml() throws Exception {
    ApiReply reply = api.get("/openapi.yaml").send();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/yaml");
    assertThat(reply.body()).isEqualTo(Files.readString(Path.of("docs/openapi.yaml")));
  }

  @Test
  void theJsonServedIsTheSameDocument() throws Exception {
    ApiReply reply = api.get("/openapi.json").send();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonNode fromFile =
        new ObjectMapper(new YAMLFactory()).readTree(Path.of("docs/openapi.yaml").toFile());
    assertThat(new ObjectMapper().readTree(reply.body())).isEqualTo(fromFile);
    assertThat(fromFile.get("openapi").asText()).isEqualTo("3.1.0");
  }

  private static ResourceConfig withTheContract() {
    ResourceConfig config = new ResourceConfig();
    ApiApplication.registerProviders(
        config,
        InMemoryApi.security(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    OpenApiResource contract = OpenApiResource.load();
    config.register(
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(contract).to(OpenApiResource.class);
          }
        });
    config.register(OpenApiResource.class);
    return config;
  }
}
