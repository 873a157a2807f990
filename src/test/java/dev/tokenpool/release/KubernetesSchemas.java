package dev.tokenpool.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Strict validation of Kubernetes objects against the API's schemas, offline, as kubeconform's
 * strict mode does it: an unknown field, a missing required field or a value of the wrong type is a
 * problem.
 *
 * <p>Built-in kinds are checked with the models the Kubernetes Java client generates from the API's
 * OpenAPI document ({@code io.kubernetes:client-java-api}, API 1.32): each model's {@code
 * validateJsonElement} refuses fields its schema does not name and missing required ones, and
 * reading the object into the model refuses wrong types (a port that is no number, a quantity that
 * is none). The prometheus-operator {@code ServiceMonitor} is checked against the JSON schema that
 * fabric8 generates from the operator's Go types ({@code openshift-model-monitoring}), made strict
 * here: every object with declared properties refuses others.
 */
final class KubernetesSchemas {

  /** API groups whose kinds the Java client's models cover. */
  private static final Set<String> BUILT_IN_GROUPS =
      Set.of("core", "apps", "policy", "batch", "autoscaling", "networking.k8s.io");

  private static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";

  private static final Gson GSON =
      new GsonBuilder()
          .registerTypeAdapter(
              OffsetDateTime.class,
              (JsonDeserializer<OffsetDateTime>)
                  (json, type, context) -> OffsetDateTime.parse(json.getAsString()))
          .create();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Schema serviceMonitor;

  KubernetesSchemas() {
    this.serviceMonitor = strictSchema("os_monitoring_v1_ServiceMonitor");
  }

  /** What is wrong with this object; empty when it is valid. */
  List<String> problems(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    String name = apiVersion + "/" + kind + " " + object.path("metadata").path("name").asText();
    if ((apiVersion + "/" + kind).equals(SERVICE_MONITOR)) {
      List<Error> errors = serviceMonitor.validate(object.toString(), InputFormat.JSON);
      return errors.stream().map(error -> name + ": " + error).toList();
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "core" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    if (!BUILT_IN_GROUPS.contains(group) || version.isEmpty() || kind.isEmpty()) {
      return List.of(name + ": no schema for this apiVersion and kind");
    }
    Class<?> model;
    try {
      model =
          Class.forName(
              "io.kubernetes.client.openapi.models."
                  + version.substring(0, 1).toUpperCase(Locale.ROOT)
                  + version.substring(1)
                  + kind);
    } catch (ClassNotFoundException e) {
      return List.of(name + ": no schema for this apiVersion and kind");
    }
    JsonElement element = JsonParser.parseString(object.toString());
    try {
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, element);
      GSON.fromJson(element, model);
    } catch (InvocationTargetException e) {
      return List.of(name + ": " + e.getCause().getMessage());
    } catch (RuntimeException e) {
      return List.of(name + ": " + e.getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model + " has no validateJsonElement", e);
    }
    return List.of();
  }

  /**
   * The definition's schema from fabric8's validation schema, with additionalProperties false on
   * every object that declares properties, and Kubernetes' int-or-string as what it is in YAML.
   */
  private static Schema strictSchema(String definition) {
    ObjectNode document;
    try (InputStream in =
        KubernetesSchemas.class
            .getClassLoader()
            .getResources("schema/validation-schema.json")
            .asIterator()
            .next()
            .openStream()) {
      document = (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode definitions = (ObjectNode) document.get("definitions");
    if (!definitions.has(definition)) {
      throw new IllegalStateException("no " + definition + " in fabric8's validation schema");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      ObjectNode schema = (ObjectNode) entry.getValue();
      if (entry.getKey().endsWith("_IntOrString")) {
        schema.removeAll();
        schema.putArray("type").add("integer").add("string");
      } else if (entry.getKey().endsWith("_Quantity")) {
        schema.removeAll();
        schema.putArray("type").add("number").add("string");
      } else if (schema.has("properties")) {
        schema.put("additionalProperties", false);
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("$ref", "#/definitions/" + definition);
    root.set("definitions", definitions);
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(root.toString(), InputFormat.JSON);
  }

  /** Each problem of each object. */
  List<String> problems(List<JsonNode> objects) {
    List<String> problems = new ArrayList<>();
    objects.forEach(object -> problems.addAll(problems(object)));
    return problems;
  }
}
