package dev.tokenpool.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine, the versions and the settings a benchmark ran with. */
final class Environment {

  private Environment() {}

  /**
   * The machine and versions, for a section that starts nodes of its own: without the main run's
   * node settings and run description, which do not apply to it.
   */
  static Map<String, Object> ofSection(Benchmark.Settings settings) throws Exception {
    Map<String, Object> environment = describe(settings);
    environment.remove("run");
    environment.remove("node_settings");
    return environment;
  }

  static Map<String, Object> describe(Benchmark.Settings settings) throws Exception {
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    environment.put(
        "commit", command("git", "-C", settings.repo().toString(), "rev-parse", "--short", "HEAD"));
    environment.put(
        "uncommitted_changes",
        !command(
                "git",
                "-C",
                settings.repo().toString(),
                "status",
                "--porcelain",
                "--",
                "src",
                "pom.xml")
            .isBlank());
    environment.put("cpu", cpuModel());
    environment.put("cores", Runtime.getRuntime().availableProcessors());
    environment.put("memory_gib", memoryGib());
    environment.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    environment.put("mariadb", BenchDatabase.version());
    environment.put("wrk", command("wrk", "-v").lines().findFirst().orElse("?"));
    environment.put("tomcat", pomProperty(settings.repo(), "tomcat.version"));
    environment.put("mysql_connector_j", pomProperty(settings.repo(), "mysql.version"));
    environment.put("hibernate", pomProperty(settings.repo(), "hibernate.version"));
    environment.put("jersey", pomProperty(settings.repo(), "jersey.version"));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("quick", settings.quick());
    run.put("rounds", settings.rounds());
    run.put("seconds_per_load", settings.seconds());
    run.put("warmup_seconds", settings.warmup());
    run.put("connections", settings.connections());
    environment.put("run", run);
    environment.put(
        "node_settings",
        "deploy/run.sh with the node's defaults (10 database connections, Tomcat's 200 threads,"
            + " 2-minute lifetime, 30 s expiry interval); only the database URL and user, the pool"
            + " size, the admin password and a client rate limit that never refuses ("
            + Benchmark.CLIENT_RATE
            + "/s) are set; requests carry the node's API keys in turn");
    return environment;
  }

  /** The process id of the local MariaDB server. */
  static long mariadbPid() {
    try {
      return Long.parseLong(
          command("pgrep", "-x", "mariadbd").lines().findFirst().orElse("-1").trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String cpuModel() throws IOException {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(line -> line.startsWith("model name"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("?");
  }

  private static long memoryGib() throws IOException {
    return Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(line -> line.startsWith("MemTotal:"))
        .map(line -> Long.parseLong(line.replaceAll("\\D+", "")) / 1024 / 1024)
        .findFirst()
        .orElse(0L);
  }

  private static String pomProperty(Path repo, String name) throws IOException {
    Matcher matcher =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</")
            .matcher(Files.readString(repo.resolve("pom.xml")));
    return matcher.find() ? matcher.group(1).trim() : "?";
  }

  static String command(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      process.waitFor();
      return out;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
