package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The order in which an activation tries the candidates a plain read returned. Only the best kind
 * present is tried: free tokens (lowest slot first), else expired ones (earliest expiry first),
 * else active ones (soonest expiry first). A request alone takes the first. With {@code concurrent}
 * activations running on the node, each starts at a random one of the first that many: that is
 * where they would end up anyway, each skipping the rows the others lock, and they rarely reach for
 * the same row first.
 */
final class CandidateOrder {

  /** Each thread's own generator: activations on many threads never contend for one. */
  static final CandidateOrder RANDOM = new CandidateOrder(ThreadLocalRandom::current);

  private final Supplier<? extends Random> random;

  /**
   * @param random the generator of the calling thread (a test passes a seeded one)
   */
  CandidateOrder(Supplier<? extends Random> random) {
    this.random = random;
  }

  /** The candidates to try, best first; {@code candidates} come in expiry order, free first. */
  List<Token> of(List<Token> candidates, Instant now, int concurrent) {
    List<Token> free = new ArrayList<>();
    List<Token> expired = new ArrayList<>();
    List<Token> active = new ArrayList<>();
    for (Token token : candidates) {
      if (!token.isHeld()) {
        free.add(token);
      } else if (token.isExpiredAt(now)) {
        expired.add(token);
      } else {
        active.add(token);
      }
    }
    List<Token> best = !free.isEmpty() ? free : !expired.isEmpty() ? expired : active;
    int spread = Math.min(Math.max(concurrent, 1), best.size());
    Collections.shuffle(best.subList(0, spread), random.get());
    return best;
  }
}
