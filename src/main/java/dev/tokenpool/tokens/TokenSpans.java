package dev.tokenpool.tokens;

import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Marks a pool's units of work for a tracer (dev.tokenpool.tracing): each method runs the work at
 * once, on the caller's thread, and returns what it returned or throws what it threw. No tracing
 * type crosses into the domain.
 */
public interface TokenSpans {

  TokenSpans NONE =
      new TokenSpans() {
        @Override
        public <T> T activation(Supplier<T> transaction) {
          return transaction.get();
        }

        @Override
        public <T> T expiryBatch(Supplier<T> transaction, ToIntFunction<? super T> ended) {
          return transaction.get();
        }
      };

  /** An activation's transaction, with its retries. */
  <T> T activation(Supplier<T> transaction);

  /** One batch of the expiry pass; {@code ended} tells how many usages the batch ended. */
  <T> T expiryBatch(Supplier<T> transaction, ToIntFunction<? super T> ended);
}
