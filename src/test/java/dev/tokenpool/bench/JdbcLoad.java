package dev.tokenpool.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load of database transactions, like wrk's over HTTP: each of {@code connections}
 * threads holds one connection and runs the transaction again as soon as the last one commits.
 * Latency is recorded per committed transaction, retries included.
 */
final class JdbcLoad {

  /** One transaction; it commits or throws. */
  @FunctionalInterface
  interface Transaction {
    void run(Connection connection) throws SQLException;
  }

  private JdbcLoad() {}

  static Measurement run(
      String name, DataSource dataSource, int connections, double seconds, Transaction transaction)
      throws InterruptedException {
    Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong failures = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    List<RuntimeException> broken = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread thread =
          new Thread(
              () -> {
                try (Connection connection = dataSource.getConnection()) {
                  while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                      transaction.run(connection);
                      recorder.recordValue(
                          Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(60)));
                    } catch (SQLException | RuntimeException e) {
                      failures.incrementAndGet();
                      connection.rollback();
                    }
                  }
                } catch (SQLException e) {
                  synchronized (broken) {
                    broken.add(new IllegalStateException("connection failed", e));
                  }
                }
              },
              "jdbc-load-" + i);
      threads.add(thread);
    }
    long started = System.nanoTime();
    recorder.reset();
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (!broken.isEmpty()) {
      throw broken.get(0);
    }
    var histogram = recorder.getIntervalHistogram();
    return new Measurement(
        name,
        connections,
        histogram.getTotalCount() / elapsed,
        histogram.getValueAtPercentile(50) / 1e6,
        histogram.getValueAtPercentile(99) / 1e6,
        histogram.getValueAtPercentile(99.9) / 1e6,
        histogram.getTotalCount(),
        failures.get(),
        Map.of());
  }
}
