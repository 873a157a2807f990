package dev.tokenpool.admin;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs probes (calls that may hang, such as a query to a database that stopped answering) on worker
 * threads with a deadline, so that whoever asks gets an answer in time. Each kind of probe is
 * judged on its own, with one thread per kind: a stuck one never delays the others. A probe past
 * its deadline is interrupted; while it is still stuck, the next probe of its kind fails at once
 * instead of piling up behind it.
 */
final class DeadlineProbes implements AutoCloseable {

  private final Duration deadline;
  private final ExecutorService workers;

  /**
   * The kinds of probe whose last run has not really ended: set when one is submitted, cleared by
   * the probe itself when it returns. (A {@code Future} is "done" as soon as it is cancelled, even
   * while its thread is still blocked in a socket read, so it cannot tell.)
   */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * @param kinds how many kinds of probe there are: one thread each, and a queue that bounded
   */
  DeadlineProbes(int kinds, Duration deadline, String threadName) {
    this.deadline = deadline;
    this.workers =
        new ThreadPoolExecutor(
            kinds,
            kinds,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(kinds),
            task -> {
              Thread thread = new Thread(task, threadName);
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  Duration deadline() {
    return deadline;
  }

  /**
   * The probe's answer, or its failure.
   *
   * @throws TimeoutException past the deadline, or while an earlier probe of the kind is stuck
   */
  <T> T probe(String kind, Callable<T> call) throws Exception {
    if (!inFlight.add(kind)) {
      throw new TimeoutException("an earlier " + kind + " probe is still waiting");
    }
    Future<T> future;
    try {
      future =
          workers.submit(
              () -> {
                try {
                  return call.call();
                } finally {
                  inFlight.remove(kind);
                }
              });
    } catch (RejectedExecutionException e) {
      inFlight.remove(kind);
      throw new TimeoutException("every probe thread is busy");
    }
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true); // interrupts what can be interrupted; the flag stays until it ends
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A failed probe in a few words, for a health detail. */
  String describe(Exception e) {
    return e instanceof TimeoutException
        ? "no answer within " + deadline.toSeconds() + " s"
        : e.getClass().getSimpleName();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
