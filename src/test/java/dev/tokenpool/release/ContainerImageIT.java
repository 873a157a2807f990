package dev.tokenpool.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenpool.testing.TomcatNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image, as the build leaves it in target/tokenpool-image.tar (an OCI image archive
 * that Jib writes without a daemon): its configuration (entrypoint, a numeric non-root user, port
 * 8080, the OCI labels, the writable directories as volumes) and its layers (a Java runtime, the
 * release's launcher and WAR, the volumes' directories owned by that user). Where podman can run
 * containers on this machine, the image also runs: read-only root, the embedded database, an
 * activation, and a clean stop on SIGTERM within {@code podman stop}'s wait.
 */
class ContainerImageIT {

  private static final Path IMAGE = Path.of("target/tokenpool-image.tar");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path unpacked;
  private static JsonNode config;
  private static List<Path> layers;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(IMAGE).as("the image: mvn verify builds it in pre-integration-test").exists();
    unpacked = Files.createTempDirectory("tokenpool-image");
    run(List.of("tar", "-xf", IMAGE.toString(), "-C", unpacked.toString()));
    JsonNode index = JSON.readTree(unpacked.resolve("index.json").toFile());
    assertThat(index.at("/manifests").size()).isEqualTo(1);
    JsonNode manifest = JSON.readTree(blob(index.at("/manifests/0/digest").asText()).toFile());
    assertThat(manifest.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    config = JSON.readTree(blob(manifest.at("/config/digest").asText()).toFile());
    layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(blob(layer.path("digest").asText()));
    }
  }

  @AfterAll
  static void removeUnpacked() throws Exception {
    run(List.of("rm", "-rf", unpacked.toString()));
  }

  @Test
  void itStartsTheReleaseLauncherAsANumericNonRootUserOnPort8080() {
    JsonNode container = config.path("config");
    assertThat(container.path("Entrypoint").toString())
        .isEqualTo("[\"/opt/tokenpool/bin/tokenpool\"]");
    assertThat(container.path("User").asText()).matches("[1-9][0-9]*:[0-9]+");
    assertThat(container.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(container.path("Volumes").properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("/var/lib/tokenpool/data", "/var/lib/tokenpool/node", "/tmp");
    assertThat(container.path("Env").toString())
        .contains("TOKENPOOL_DATA_DIR=/var/lib/tokenpool/data")
        .contains("TOKENPOOL_BASE_DIR=/var/lib/tokenpool/node");
    assertThat(config.path("architecture").asText()).isNotBlank();
  }

  @Test
  void itCarriesTheOciLabelsOfThisBuild() throws IOException {
    JsonNode labels = config.at("/config/Labels");
    assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(version());
    assertThat(labels.path("org.opencontainers.image.revision").asText())
        .matches("[0-9a-f]{40}|unknown");
    assertThat(labels.path("org.opencontainers.image.source").asText()).isNotBlank();
    assertThat(labels.path("org.opencontainers.image.licenses").asText()).isNotBlank();
    assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("tokenpool");
  }

  @Test
  void itsLayersHoldAJavaRuntimeTheLauncherTheWarAndTheUsersDirectories() throws Exception {
    Map<String, String> entries = new HashMap<>();
    for (Path layer : layers) {
      entries.putAll(listing(layer));
    }
    String user = config.at("/config/User").asText();

    assertThat(entries).containsKey("usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    assertThat(entries).containsKeys("usr/bin/bash", "usr/bin/curl", "usr/bin/flock");
    assertThat(entries.get("opt/tokenpool/bin/tokenpool")).startsWith("-rwxr-xr-x");
    assertThat(entries.get("opt/tokenpool/deploy/drain.sh")).startsWith("-rwxr-xr-x");
    assertThat(entries.get("opt/tokenpool/deploy/run.sh")).startsWith("-rwxr-xr-x");
    assertThat(entries).containsKeys("opt/tokenpool/target/tokenpool.war", "opt/tokenpool/RELEASE");
    assertThat(entries)
        .hasEntrySatisfying(
            entries.keySet().stream()
                .filter(
                    e ->
                        e.matches(
                            "opt/tokenpool/target/tomcat/apache-tomcat-[^/]+/bin/catalina.sh"))
                .findFirst()
                .orElse("no catalina.sh"),
            line -> assertThat(line).startsWith("-rwxr-xr-x"));
    // Jib's own copy of the exploded WAR is filtered out: the WAR is there once.
    assertThat(entries.keySet()).noneMatch(e -> e.startsWith("opt/exploded-war-unused"));
    for (String volume : List.of("var/lib/tokenpool/data/", "var/lib/tokenpool/node/")) {
      assertThat(entries.get(volume)).as(volume).startsWith("drwx------ " + user.replace(':', '/'));
    }
    // The least often changed first: the base, Tomcat, the WAR, the scripts.
    assertThat(layers).hasSize(4);
    assertThat(listing(layers.get(1)).keySet())
        .allMatch(e -> e.contains("target/tomcat/") || e.endsWith("/"));
    assertThat(listing(layers.get(2)).keySet()).anyMatch(e -> e.endsWith("tokenpool.war"));
  }

  @Test
  void podmanRunsTheImageReadOnlyAndItStopsCleanlyOnSigterm() throws Exception {
    String problem = podmanProblem();
    assumeTrue(problem == null, () -> "podman cannot run containers here: " + problem);
    podman("load", "-q", "-i", IMAGE.toAbsolutePath().toString());
    String name = "tokenpool-it-" + UUID.randomUUID().toString().substring(0, 8);
    Path data = Files.createTempDirectory("tokenpool-image-data");
    run(List.of("chown", config.at("/config/User").asText(), data.toString()));
    int port = TomcatNode.freePort();
    podman(
        "run",
        "-d",
        "--name",
        name,
        "--read-only",
        "--network=host",
        "--cgroups=disabled",
        "-v",
        data + ":/var/lib/tokenpool/data",
        "-e",
        "PORT=" + port,
        "-e",
        "TOKENPOOL_BIND_ADDRESS=127.0.0.1",
        "tokenpool:" + version());
    String url = "http://127.0.0.1:" + port;
    try {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> NodeHttp.get(url + "/health/ready", null).statusCode() == 200);
      String key = Files.readString(data.resolve("initial-api-key")).strip();
      HttpResponse<String> activated = NodeHttp.activate(url, key, "alice");
      assertThat(activated.statusCode()).isEqualTo(200);

      long stopping = System.nanoTime();
      podman("stop", "-t", "30", name);
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));
      // 143: the JVM ended by SIGTERM after its shutdown hooks; 137 would be podman's SIGKILL.
      assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", name).strip())
          .isIn("0", "143");
      assertThat(podman("logs", name)).doesNotContain(key);
    } finally {
      new ProcessBuilder("podman", "--storage-driver=vfs", "rm", "-f", name)
          .start()
          .waitFor(60, TimeUnit.SECONDS);
      removeFromPodman();
    }
  }

  /**
   * Without a container runtime (podman cannot run one on these machines), the image still runs as
   * its configuration says: its layers unpacked, the root mounted read-only in a mount and PID
   * namespace of its own, its volumes writable (the data directory from the host, the others on
   * tmpfs, owned by the image's user), its environment, working directory, user and entrypoint. Its
   * own drain.sh, run inside it as Kubernetes' preStop runs it, takes it out of readiness.
   */
  @Test
  void itsRootFileSystemRunsReadOnlyAsTheImagesUserDrainsAndStopsCleanlyOnSigterm()
      throws Exception {
    String problem = namespaceProblem();
    assumeTrue(problem == null, () -> "cannot make a mount namespace here: " + problem);
    JsonNode container = config.path("config");
    String user = container.path("User").asText();
    Path root = Files.createTempDirectory("tokenpool-image-root");
    for (Path layer : layers) {
      run(List.of("tar", "--numeric-owner", "-xzpf", layer.toString(), "-C", root.toString()));
    }
    Path data = Files.createTempDirectory("tokenpool-image-data");
    run(List.of("chown", user, data.toString()));
    int port = TomcatNode.freePort();
    List<String> environment = new ArrayList<>();
    container.path("Env").forEach(variable -> environment.add(variable.asText()));
    environment.addAll(List.of("PORT=" + port, "TOKENPOOL_BIND_ADDRESS=127.0.0.1"));
    StringBuilder mounts = new StringBuilder("mount --bind \"$R\" \"$R\"\n");
    mounts.append("mount -o remount,bind,ro \"$R\"\n");
    mounts.append("mount --bind '").append(data).append("' \"$R/var/lib/tokenpool/data\"\n");
    String[] ids = user.split(":");
    container
        .path("Volumes")
        .properties()
        .forEach(
            volume -> {
              String path = volume.getKey();
              String options =
                  path.equals("/tmp")
                      ? "mode=1777"
                      : "uid=" + ids[0] + ",gid=" + ids[1] + ",mode=700";
              if (!path.equals("/var/lib/tokenpool/data")) {
                mounts.append("mount -t tmpfs -o ").append(options);
                mounts.append(" tmpfs \"$R").append(path).append("\"\n");
              }
            });
    mounts.append("mount -t proc proc \"$R/proc\"\nmount --rbind /dev \"$R/dev\"\n");
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--propagation",
                "private",
                "bash",
                "-euc",
                mounts + "exec chroot --userspec=\"$U\" \"$R\" /usr/bin/env -i \"$@\"",
                "run-image"));
    command.addAll(environment);
    command.addAll(
        List.of(
            "/bin/sh",
            "-c",
            "cd '"
                + container.path("WorkingDir").asText()
                + "' && exec "
                + container.path("Entrypoint").get(0).asText()));
    Path log = root.resolveSibling(root.getFileName() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("R", root.toString());
    builder.environment().put("U", user);
    Process runtime = builder.start();
    String url = "http://127.0.0.1:" + port;
    try {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .failFast("the image's node exited; see " + log, () -> !runtime.isAlive())
          .ignoreExceptions()
          .until(() -> NodeHttp.get(url + "/health/ready", null).statusCode() == 200);
      ProcessHandle node = runtime.toHandle().children().findFirst().orElseThrow();
      assertThat(node.info().command().orElse("")).endsWith("/bin/java");
      String key = Files.readString(data.resolve("initial-api-key")).strip();
      HttpResponse<String> activated = NodeHttp.activate(url, key, "alice");
      assertThat(activated.statusCode()).isEqualTo(200);

      // Kubernetes' preStop: the image's drain.sh, run inside it as its user.
      List<String> drain =
          new ArrayList<>(
              List.of(
                  "nsenter",
                  "-t",
                  String.valueOf(node.pid()),
                  "-m",
                  "-p",
                  "chroot",
                  "--userspec=" + user,
                  root.toString(),
                  "/usr/bin/env",
                  "-i"));
      drain.addAll(environment);
      drain.addAll(List.of("TOKENPOOL_DRAIN_WAIT=1", "/opt/tokenpool/deploy/drain.sh"));
      Process draining = new ProcessBuilder(drain).redirectErrorStream(true).start();
      String drained = new String(draining.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(draining.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(draining.exitValue()).as(drained).isZero();
      assertThat(drained).contains("draining");
      assertThat(NodeHttp.get(url + "/health/ready", null).statusCode()).isEqualTo(503);
      assertThat(NodeHttp.get(url + "/health/live", null).statusCode()).isEqualTo(200);

      long stopping = System.nanoTime();
      node.destroy(); // SIGTERM, as a runtime's stop sends it
      assertThat(runtime.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));
      // 143: the JVM ended by SIGTERM, after Tomcat's clean stop.
      assertThat(runtime.exitValue()).as("see " + log).isIn(0, 143);
      assertThat(Files.readString(log)).contains("Stopping ProtocolHandler").doesNotContain(key);
      Files.delete(log); // kept only when something failed
    } finally {
      runtime.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      runtime.destroyForcibly();
      runtime.waitFor(30, TimeUnit.SECONDS);
      run(List.of("rm", "-rf", root.toString(), data.toString()));
    }
  }

  /** Why this machine cannot make mount and PID namespaces (root only), or null when it can. */
  private static String namespaceProblem() throws Exception {
    try {
      Process probe =
          new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "true")
              .redirectErrorStream(true)
              .start();
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0 ? null : output.strip();
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /**
   * Why podman cannot run a container here, or null when it can: it runs {@code true} in a root
   * file system of that program and its libraries, so that a machine where it cannot spends no time
   * loading the image.
   */
  private static String podmanProblem() throws Exception {
    Path root = Files.createTempDirectory("podman-probe");
    try {
      Process ldd = new ProcessBuilder("ldd", "/usr/bin/true").redirectErrorStream(true).start();
      String libraries = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ldd.waitFor(30, TimeUnit.SECONDS);
      List<String> files = new ArrayList<>(List.of("/usr/bin/true"));
      Matcher paths = Pattern.compile("(/\\S+)").matcher(libraries);
      while (paths.find()) {
        files.add(paths.group(1));
      }
      for (String file : files) {
        Path copy = root.resolve(file.substring(1));
        Files.createDirectories(copy.getParent());
        Files.copy(Path.of(file).toRealPath(), copy, StandardCopyOption.COPY_ATTRIBUTES);
      }
      podman(
          "run",
          "--rm",
          "--network=host",
          "--cgroups=disabled",
          "--rootfs",
          root.toString(),
          "/usr/bin/true");
      return null;
    } catch (IOException | IllegalStateException e) {
      return e.getMessage();
    } finally {
      run(List.of("rm", "-rf", root.toString()));
    }
  }

  /** Podman's storage keeps every loaded image whole: the next build's is another. */
  private static void removeFromPodman() throws Exception {
    try {
      podman("rmi", "-f", "tokenpool:" + version());
    } catch (IOException | IllegalStateException e) {
      // no podman, or no such image
    }
  }

  private static String podman(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("podman", "--storage-driver=vfs"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output.strip());
    }
    return output;
  }

  /** Each entry of a gzipped layer, without a leading "./", with its `tar -tv` line. */
  private static Map<String, String> listing(Path layer) throws Exception {
    Process process =
        new ProcessBuilder("tar", "--numeric-owner", "-tvzf", layer.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<String, String> entries = new HashMap<>();
    for (String line :
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      String[] fields = line.split("\\s+", 6);
      if (fields.length == 6) {
        String path = fields[5].replaceFirst("^\\./", "").replaceFirst(" -> .*", "");
        entries.put(path, line);
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return entries;
  }

  private static Path blob(String digest) {
    assertThat(digest).startsWith("sha256:");
    return unpacked.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
  }

  /** The project's version, from the release tarball's name the image was built from. */
  private static String version() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(file -> file.matches("tokenpool-.*\\.tar\\.gz"))
          .map(file -> file.substring("tokenpool-".length(), file.length() - ".tar.gz".length()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no target/tokenpool-*.tar.gz"));
    }
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
  }
}
