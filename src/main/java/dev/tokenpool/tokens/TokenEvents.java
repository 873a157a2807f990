package dev.tokenpool.tokens;

import org.slf4j.LoggerFactory;

/** Told what the pool did, after the transaction that did it committed (for metrics). */
public interface TokenEvents {

  TokenEvents NONE =
      new TokenEvents() {
        @Override
        public void activated(boolean evicted) {}

        @Override
        public void usagesEnded(EndReason reason, int count) {}
      };

  /** A user got a new usage; {@code evicted} when someone's token was taken for it. */
  void activated(boolean evicted);

  void usagesEnded(EndReason reason, int count);

  /**
   * These events, with every failure of a listener logged and contained: the transaction has
   * committed, so a metrics bug must not turn a done activation into an error for the client.
   */
  static TokenEvents guarded(TokenEvents events) {
    return new TokenEvents() {
      @Override
      public void activated(boolean evicted) {
        try {
          events.activated(evicted);
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(TokenEvents.class).warn("A token event listener failed", e);
        }
      }

      @Override
      public void usagesEnded(EndReason reason, int count) {
        try {
          events.usagesEnded(reason, count);
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(TokenEvents.class).warn("A token event listener failed", e);
        }
      }
    };
  }
}
