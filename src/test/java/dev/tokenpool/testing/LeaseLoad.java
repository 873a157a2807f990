package dev.tokenpool.testing;

import dev.tokenpool.tokens.ActivationOptions;
import dev.tokenpool.tokens.MaxHoldReachedException;
import dev.tokenpool.tokens.NotTheHolderException;
import dev.tokenpool.tokens.OnFull;
import dev.tokenpool.tokens.PoolFullException;
import dev.tokenpool.tokens.StaleFenceException;
import dev.tokenpool.tokens.TokenNotActiveException;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.TokenView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady lease load on one node's pool, straight through its service: 200 users who activate with
 * leases of 1 to 3 s (evicting or failing on a full pool), renew what they hold and release it, in
 * random turns. Refusals the rules allow (a full pool, a stale fence, the longest hold) are
 * counted; anything else stops the thread and is reported.
 */
public final class LeaseLoad {

  private static final int USERS = 200;

  private final TokenService tokens;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong activations = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong releases = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private volatile Throwable failure;

  private LeaseLoad(TokenService tokens) {
    this.tokens = tokens;
  }

  public static LeaseLoad start(TokenService tokens, int threadCount) {
    LeaseLoad load = new LeaseLoad(tokens);
    for (int i = 0; i < threadCount; i++) {
      Thread thread = new Thread(load::run, "lease-load-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try {
      while (running.get()) {
        String user = "load-user-" + random.nextInt(USERS);
        int turn = random.nextInt(4);
        try {
          if (turn < 2) {
            Duration lease = Duration.ofMillis(1_000 + random.nextInt(2_000));
            OnFull onFull = random.nextInt(10) < 7 ? OnFull.EVICT : OnFull.FAIL;
            tokens.activate(user, new ActivationOptions(Optional.of(lease), onFull));
            activations.incrementAndGet();
          } else {
            Optional<TokenView> held = tokens.holding(user);
            if (held.isPresent() && held.get().fence() != null) {
              if (turn == 2) {
                tokens.renew(
                    held.get().tokenId(),
                    held.get().fence(),
                    Optional.of(Duration.ofSeconds(2)),
                    Optional.of(user));
                renewals.incrementAndGet();
              } else {
                tokens.release(
                    held.get().tokenId(), Optional.of(user), Optional.of(held.get().fence()), user);
                releases.incrementAndGet();
              }
            }
          }
        } catch (PoolFullException
            | StaleFenceException
            | MaxHoldReachedException
            | TokenNotActiveException
            | NotTheHolderException refused) {
          refusals.incrementAndGet();
        }
        Thread.sleep(5 + random.nextInt(45));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
  }

  /** Stops the load and says what it did, and what failed if anything did. */
  public String stop() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return String.format(
        "activations=%d renewals=%d releases=%d refusals=%d failure=%s",
        activations.get(), renewals.get(), releases.get(), refusals.get(), failure);
  }
}
