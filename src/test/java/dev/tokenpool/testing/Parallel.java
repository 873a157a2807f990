package dev.tokenpool.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs tasks that start at the same instant, for tests of concurrent requests. */
public final class Parallel {

  private Parallel() {}

  /**
   * Starts {@code tasks} tasks at once (task {@code i} from {@code task.apply(i)}) and returns
   * their results in order; any task's failure, or one still running after {@code limit}, fails the
   * call.
   */
  public static <T> List<T> atOnce(int tasks, IntFunction<Callable<T>> task, Duration limit)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        Callable<T> work = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return work.call();
                }));
      }
      start.countDown();
      long deadline = System.nanoTime() + limit.toNanos();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
