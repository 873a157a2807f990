package dev.tokenpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The HTTP load generator: wrk (Debian's package), driven by the Lua scripts in deploy/bench/,
 * which print their figures as one JSON line.
 */
final class Wrk {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path scripts;

  Wrk(Path scripts) {
    this.scripts = scripts;
  }

  /** Runs {@code script} against {@code url} with a closed loop of {@code connections}. */
  Measurement run(
      String name,
      String url,
      String script,
      int connections,
      double seconds,
      Map<String, String> environment)
      throws IOException, InterruptedException {
    int threads = Math.min(2, connections);
    ProcessBuilder builder =
        new ProcessBuilder(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + Math.max(1, Math.round(seconds)) + "s",
                "--timeout",
                "30s",
                "-s",
                scripts.resolve(script).toString(),
                url)
            .redirectErrorStream(true);
    builder.environment().put("BENCH_LUA_DIR", scripts.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + output);
    }
    String line =
        output
            .lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("wrk printed no result: " + output));
    JsonNode result = JSON.readTree(line.substring("RESULT ".length()));
    return new Measurement(
        name,
        connections,
        result.get("rps").asDouble(),
        result.get("p50_ms").asDouble(),
        result.get("p99_ms").asDouble(),
        result.get("p999_ms").asDouble(),
        result.get("requests").asLong(),
        result.get("non_2xx").asLong() + result.get("socket_errors").asLong(),
        Map.of());
  }
}
