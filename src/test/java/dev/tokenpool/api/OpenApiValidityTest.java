package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tokenpool.testing.Contract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is a valid OpenAPI 3.1 document: it passes the OpenAPI Initiative's own 3.1
 * meta-schema, every reference in it resolves, every operation has a unique id, and every example
 * it shows is valid against its own schema.
 */
final class OpenApiValidityTest {

  private static final Path DOCUMENT = Path.of("docs/openapi.yaml");

  @Test
  void itPassesTheOpenApi31MetaSchema() throws IOException {
    Schema metaSchema =
        SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                builder ->
                    builder.schemaIdResolvers(
                        ids ->
                            ids.mapPrefix(
                                "https://spec.openapis.org/oas/3.1", "classpath:oas/3.1")))
            .getSchema(
                SchemaLocation.of("https://spec.openapis.org/oas/3.1/schema-base/2022-10-07"));

    assertThat(metaSchema.validate(Files.readString(DOCUMENT), InputFormat.YAML)).isEmpty();
  }

  @Test
  void everyReferenceResolves() throws IOException {
    JsonNode document = document();
    List<String> references = new ArrayList<>();
    collectReferences(document, references);

    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/");
      assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
    }
  }

  @Test
  void everyOperationHasAUniqueId() throws IOException {
    Set<String> ids = new HashSet<>();
    int operations = 0;
    for (JsonNode path : document().get("paths")) {
      for (Map.Entry<String, JsonNode> entry : path.properties()) {
        if (entry.getValue().has("responses")) {
          operations++;
          assertThat(ids.add(entry.getValue().path("operationId").asText()))
              .as("operationId %s", entry.getValue().path("operationId"))
              .isTrue();
        }
      }
    }
    assertThat(operations).isEqualTo(OpenApiRoutesTest.documented().size());
  }

  @Test
  void everyExampleIsValidAgainstItsSchema() throws IOException {
    Contract contract = Contract.load();
    JsonNode document = document();
    int checked = 0;
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        for (Map.Entry<String, JsonNode> response :
            operation.getValue().path("responses").properties()) {
          JsonNode answer = response.getValue();
          if (answer.has("$ref")) {
            answer = document.at(answer.get("$ref").asText().substring(1));
          }
          for (Map.Entry<String, JsonNode> media : answer.path("content").properties()) {
            List<JsonNode> examples = new ArrayList<>();
            media
                .getValue()
                .path("examples")
                .forEach(example -> examples.add(example.get("value")));
            if (media.getValue().has("example")) {
              examples.add(media.getValue().get("example"));
            }
            for (JsonNode example : examples) {
              if (example != null && media.getKey().endsWith("json")) {
                contract.assertConforms(
                    operation.getKey(),
                    path.getKey(),
                    Integer.parseInt(response.getKey()),
                    media.getKey(),
                    example.toString());
                checked++;
              }
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(10);
  }

  private static JsonNode document() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              entry -> {
                if (entry.getKey().equals("$ref")) {
                  references.add(entry.getValue().asText());
                } else {
                  collectReferences(entry.getValue(), references);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> collectReferences(child, references));
    }
  }
}
