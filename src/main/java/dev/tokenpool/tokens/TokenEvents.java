package dev.tokenpool.tokens;

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
}
