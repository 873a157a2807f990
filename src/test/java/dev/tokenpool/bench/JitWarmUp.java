package dev.tokenpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a node until the JIT is done with the request path: its compiler threads count in the
 * process's CPU time, and a node still compiling looks several times costlier (on a busy machine a
 * fixed warm-up of 20 s was not enough). The node gets at least {@code minimum} seconds, in chunks,
 * until the compiler threads used at most {@value #SETTLED} of the node's CPU time in a chunk, for
 * at most {@value #LIMIT} times the minimum.
 */
final class JitWarmUp {

  static final double SETTLED = 0.05;
  static final int LIMIT = 4;

  /** One chunk of load on the node, of the given seconds. */
  @FunctionalInterface
  interface Chunk {
    Measurement run(double seconds) throws Exception;
  }

  private JitWarmUp() {}

  /** Warms the node up; returns its CPU µs per request of each chunk. */
  static List<Double> run(
      Benchmark bench,
      String name,
      BenchNode node,
      String db,
      boolean reset,
      double minimum,
      double chunkSeconds,
      Chunk chunk)
      throws Exception {
    double seconds = Math.min(minimum, chunkSeconds);
    List<Double> cpu = new ArrayList<>();
    List<Double> jit = new ArrayList<>();
    double spent = 0;
    while (true) {
      if (reset) {
        BenchDatabase.freeAll(db);
      }
      long process = BenchDatabase.processCpuTicks(node.pid());
      long compilers = compilerTicks(node.pid());
      Measurement m = bench.measuredOnServer(node, () -> chunk.run(seconds));
      long processDelta = BenchDatabase.processCpuTicks(node.pid()) - process;
      long compilerDelta = compilerTicks(node.pid()) - compilers;
      double share = processDelta <= 0 ? 1 : (double) compilerDelta / processDelta;
      cpu.add(cpuPerRequest(m));
      jit.add(share);
      spent += seconds;
      // A compiler thread that ended takes its time out of the sum: a negative share is unsettled.
      boolean settled = share >= 0 && share <= SETTLED;
      if ((spent >= minimum && settled) || spent >= LIMIT * minimum) {
        Benchmark.log(
            String.format(
                "warmed up %s in %.0f s; per chunk, node CPU µs/request %s, JIT share %s",
                name,
                spent,
                cpu.stream().map(c -> String.format("%.0f", c)).toList(),
                jit.stream().map(j -> String.format("%.2f", j)).toList()));
        return cpu;
      }
    }
  }

  static double cpuPerRequest(Measurement m) {
    return m.notes().getOrDefault("node_cpu_us_per_request", Double.NaN);
  }

  /** CPU ticks of the JVM's JIT compiler threads (C1, C2) now alive in the process. */
  static long compilerTicks(long pid) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          // The name, in parentheses, may contain spaces: the fields follow its closing one.
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        } catch (java.io.IOException | RuntimeException gone) {
          // The thread ended meanwhile.
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return ticks;
  }
}
