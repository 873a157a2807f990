package dev.tokenpool.concurrency;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Executors for a node's background work: daemon threads with names that say what they do (a thread
 * dump reads them), and a stop that waits a bounded time, so a node always stops.
 */
public final class NodeThreads {

  private NodeThreads() {}

  /** One named daemon thread that runs scheduled work. */
  public static ScheduledExecutorService scheduled(String name) {
    return Executors.newSingleThreadScheduledExecutor(task -> daemon(task, name));
  }

  /** {@code threads} daemon threads of one name. */
  public static ExecutorService pool(int threads, String name) {
    return Executors.newFixedThreadPool(threads, task -> daemon(task, name));
  }

  /** Interrupts the executor's work and waits for it at most {@code wait}. */
  public static void stopNow(ExecutorService executor, Duration wait) {
    executor.shutdownNow();
    await(executor, wait);
  }

  /** Lets the executor finish what it was given, waiting at most {@code wait}. */
  public static void finish(ExecutorService executor, Duration wait) {
    executor.shutdown();
    await(executor, wait);
  }

  private static void await(ExecutorService executor, Duration wait) {
    try {
      executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
