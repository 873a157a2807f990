package dev.tokenpool.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/kubernetes, as kustomize renders it ({@code kubectl kustomize}; the build links kubectl at
 * target/tools/kubectl), validates strictly against the Kubernetes API's schemas ({@link
 * KubernetesSchemas}), and the base says what a tokenpool node needs: several replicas, the three
 * probes, the drain before the stop, a hardened pod, the database from a Secret.
 */
class KubernetesManifestsIT {

  private static final Path KUBECTL = Path.of("target/tools/kubectl");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final KubernetesSchemas schemas = new KubernetesSchemas();

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/galera"})
  void everyRenderedObjectValidatesAgainstItsSchema(String kustomization) throws Exception {
    List<JsonNode> objects = render(kustomization);

    assertThat(objects).extracting(o -> o.path("kind").asText()).contains("Deployment");
    assertThat(schemas.problems(objects)).isEmpty();
  }

  @Test
  void theOverlayAddsTheServiceMonitorAndValidatesIt() throws Exception {
    List<JsonNode> objects = render("overlays/galera");

    assertThat(objects)
        .extracting(o -> o.path("apiVersion").asText() + "/" + o.path("kind").asText())
        .containsExactlyInAnyOrder(
            "v1/Service",
            "apps/v1/Deployment",
            "policy/v1/PodDisruptionBudget",
            "monitoring.coreos.com/v1/ServiceMonitor");
    assertThat(objects).allMatch(o -> o.at("/metadata/namespace").asText().equals("tokenpool"));
  }

  @Test
  void theValidatorRefusesUnknownFieldsWrongTypesAndMissingNames() throws Exception {
    List<JsonNode> objects = render("overlays/galera");
    ObjectNode deployment = (ObjectNode) find(objects, "Deployment").deepCopy();
    ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");

    ObjectNode misspelt = deployment.deepCopy();
    ((ObjectNode) misspelt.at("/spec/template/spec/containers/0/readinessProbe/httpGet"))
        .put("paht", "/health/ready");
    assertThat(schemas.problems(misspelt)).singleElement().asString().contains("paht");

    ObjectNode wrongType = deployment.deepCopy();
    ((ObjectNode) wrongType.get("spec")).put("replicas", "three");
    assertThat(schemas.problems(wrongType)).singleElement().asString().contains("three");

    ObjectNode nameless = deployment.deepCopy();
    ((ObjectNode) nameless.at("/spec/template/spec/containers/0")).remove("name");
    assertThat(schemas.problems(nameless)).singleElement().asString().contains("name");

    ObjectNode badQuantity = deployment.deepCopy();
    ((ObjectNode) badQuantity.at("/spec/template/spec/containers/0/resources/limits"))
        .put("memory", "a lot");
    assertThat(schemas.problems(badQuantity)).singleElement().asString().contains("a lot");

    ObjectNode monitor = (ObjectNode) find(objects, "ServiceMonitor").deepCopy();
    ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "30s");
    assertThat(schemas.problems(monitor)).singleElement().asString().contains("intervall");

    ObjectNode unknownKind = deployment.deepCopy().put("kind", "Deploymnet");
    assertThat(schemas.problems(unknownKind))
        .singleElement()
        .asString()
        .contains("no schema for this apiVersion and kind");
    assertThat(container.path("name").asText()).isEqualTo("tokenpool");
  }

  @Test
  void theBaseRunsSeveralHardenedNodesThatDrainBeforeTheyStop() throws Exception {
    List<JsonNode> objects = render("base");
    JsonNode deployment = find(objects, "Deployment");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");

    assertThat(deployment.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    assertThat(texts(container.at("/lifecycle/preStop/exec/command")))
        .containsExactly("/opt/tokenpool/deploy/drain.sh");
    // The grace period covers the drain's wait and the scheduler's stop wait (default 30 s).
    int drainWait = Integer.parseInt(env(container, "TOKENPOOL_DRAIN_WAIT").path("value").asText());
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(drainWait + 30);
    // drain.sh logs in with the admin password: every node has the same, from a Secret file.
    assertThat(env(container, "TOKENPOOL_ADMIN_PASSWORD_FILE").path("value").asText())
        .isEqualTo("/etc/tokenpool/admin/password");

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(container.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
    assertThat(container.at("/resources/requests/memory").isMissingNode()).isFalse();
    assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();

    // Every directory the image declares writable is an emptyDir.
    List<String> emptyDirs = new ArrayList<>();
    for (JsonNode mount : container.path("volumeMounts")) {
      for (JsonNode volume : pod.path("volumes")) {
        if (volume.path("name").equals(mount.path("name")) && volume.has("emptyDir")) {
          emptyDirs.add(mount.path("mountPath").asText());
        }
      }
    }
    assertThat(emptyDirs)
        .containsExactlyInAnyOrder("/var/lib/tokenpool/data", "/var/lib/tokenpool/node", "/tmp");

    // The database connection comes from the Secret tokenpool-database, never a literal.
    assertThat(env(container, "TOKENPOOL_DB_URL").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("tokenpool-database");
    assertThat(env(container, "TOKENPOOL_DB_USER").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("tokenpool-database");
    assertThat(objects).noneMatch(o -> o.path("kind").asText().equals("Secret"));

    // The budget and the Service select exactly the Deployment's pods.
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    JsonNode budgetSelector = find(objects, "PodDisruptionBudget").at("/spec/selector/matchLabels");
    JsonNode serviceSelector = find(objects, "Service").at("/spec/selector");
    assertThat(budgetSelector).isNotEmpty().isEqualTo(deployment.at("/spec/selector/matchLabels"));
    budgetSelector
        .fields()
        .forEachRemaining(l -> assertThat(podLabels.get(l.getKey())).isEqualTo(l.getValue()));
    assertThat(serviceSelector).isEqualTo(budgetSelector);
  }

  private static List<JsonNode> render(String kustomization) throws Exception {
    assertThat(KUBECTL)
        .as("kubectl: deploy/kubernetes/ensure-kubectl.sh target/tools (pre-integration-test)")
        .exists();
    Path output = Files.createTempFile("kustomize", ".yaml");
    Process process =
        new ProcessBuilder(KUBECTL.toString(), "kustomize", "deploy/kubernetes/" + kustomization)
            .redirectOutput(output.toFile())
            .start();
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(errors).isZero();
    try {
      return YAML.readValues(YAML.createParser(output.toFile()), JsonNode.class).readAll();
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static JsonNode find(List<JsonNode> objects, String kind) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static JsonNode env(JsonNode container, String name) {
    return StreamSupport.stream(container.path("env").spliterator(), false)
        .filter(e -> e.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  private static List<String> texts(JsonNode array) throws IOException {
    assertThat(array).isInstanceOf(ArrayNode.class);
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
