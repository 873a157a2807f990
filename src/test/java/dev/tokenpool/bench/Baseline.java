package dev.tokenpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The WAR and Tomcat of an earlier commit, to measure against: the commit's tree exported with
 * {@code git archive} (no worktree is registered in the repository) into {@code
 * target/bench/baseline/<full commit id>/} and built there with {@code mvn -B -q -DskipTests
 * package}. Kept for later runs: a directory with a {@code .built} marker is used as it is.
 */
final class Baseline {

  private Baseline() {}

  /** The built tree of {@code commit}: run its {@code deploy/run.sh} to start a node of it. */
  static Path build(Path repo, Path cache, String commit) throws IOException, InterruptedException {
    String full =
        Environment.command(
                "git", "-C", repo.toString(), "rev-parse", "--verify", commit + "^{commit}")
            .trim();
    if (!full.matches("[0-9a-f]{40}")) {
      throw new IllegalStateException("Cannot find the baseline commit " + commit + ": " + full);
    }
    Path dir = cache.resolve(full);
    Path built = dir.resolve(".built");
    if (Files.exists(built) && Files.exists(dir.resolve("target/tokenpool.war"))) {
      Benchmark.log("baseline " + commit + ": using the WAR built in " + dir);
      return dir;
    }
    deleteRecursively(dir);
    Files.createDirectories(dir);
    Path log = cache.resolve(full + ".build.log");
    Benchmark.log(
        "baseline " + commit + ": exporting and building it in " + dir + " (log " + log + ")");
    run(
        repo,
        log,
        "bash",
        "-c",
        "set -o pipefail; git archive --format=tar \"$0\" | tar -x -C \"$1\"",
        full,
        dir.toString());
    run(dir, log, "mvn", "-B", "-q", "-DskipTests", "package");
    if (!Files.exists(dir.resolve("target/tokenpool.war"))) {
      throw new IllegalStateException("The baseline build made no WAR; see " + log);
    }
    Files.writeString(built, full + "\n");
    return dir;
  }

  private static void run(Path dir, Path log, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed in " + dir + "; see " + log);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
