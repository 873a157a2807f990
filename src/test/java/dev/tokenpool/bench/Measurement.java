package dev.tokenpool.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured load: what ran, at how many connections, and what came out. {@code notes} carries
 * figures some loads add (CPU per request, statements per transaction).
 */
record Measurement(
    String name,
    int connections,
    double rps,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    long requests,
    long failures,
    Map<String, Double> notes) {

  Measurement withNote(String key, double value) {
    Map<String, Double> more = new LinkedHashMap<>(notes);
    more.put(key, value);
    return new Measurement(name, connections, rps, p50Ms, p99Ms, p999Ms, requests, failures, more);
  }

  /** The median of several runs of one load, figure by figure. */
  static Measurement median(java.util.List<Measurement> runs) {
    Measurement first = runs.get(0);
    Map<String, Double> notes = new LinkedHashMap<>();
    for (String key : first.notes().keySet()) {
      notes.put(key, median(runs.stream().mapToDouble(m -> m.notes().getOrDefault(key, 0.0))));
    }
    return new Measurement(
        first.name(),
        first.connections(),
        median(runs.stream().mapToDouble(Measurement::rps)),
        median(runs.stream().mapToDouble(Measurement::p50Ms)),
        median(runs.stream().mapToDouble(Measurement::p99Ms)),
        median(runs.stream().mapToDouble(Measurement::p999Ms)),
        runs.stream().mapToLong(Measurement::requests).sum(),
        runs.stream().mapToLong(Measurement::failures).sum(),
        notes);
  }

  /** The median of plain figures. */
  static double medianOf(java.util.List<Double> values) {
    return median(values.stream().mapToDouble(Double::doubleValue));
  }

  private static double median(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
