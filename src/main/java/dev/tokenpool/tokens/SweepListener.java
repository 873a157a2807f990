package dev.tokenpool.tokens;

import org.hibernate.StatelessSession;

/** Told of each batch of expired usages a sweep ends, inside that batch's transaction. */
@FunctionalInterface
public interface SweepListener {

  SweepListener NONE = (session, count) -> {};

  void batchEnded(StatelessSession session, int count);
}
