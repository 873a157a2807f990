package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

/**
 * Every route the API serves is in the contract, and every operation in the contract is served:
 * Jersey's own resource model of the application's resource classes against docs/openapi.yaml.
 */
final class OpenApiRoutesTest {

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  @Test
  void theContractListsExactlyTheRoutesJerseyServes() throws IOException {
    assertThat(documented()).isEqualTo(served());
  }

  static Set<String> served() {
    Set<String> routes = new TreeSet<>();
    for (Class<?> type : ApiApplication.RESOURCES) {
      collect(Resource.from(type), "", routes);
    }
    return routes;
  }

  static Set<String> documented() throws IOException {
    JsonNode paths =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("docs/openapi.yaml").toFile())
            .get("paths");
    Set<String> routes = new TreeSet<>();
    for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
      String path = names.next();
      paths
          .get(path)
          .fieldNames()
          .forEachRemaining(
              key -> {
                if (HTTP_METHODS.contains(key)) {
                  routes.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
              });
    }
    return routes;
  }

  private static void collect(Resource resource, String parent, Set<String> routes) {
    String path =
        (parent + "/" + Objects.toString(resource.getPath(), ""))
            .replaceAll("/+", "/")
            .replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    for (ResourceMethod method : resource.getResourceMethods()) {
      routes.add(method.getHttpMethod() + " " + path);
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, routes);
    }
  }
}
