package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.persistence.TransientConflictException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pool's tokens once, each with a fresh random UUID that never changes afterwards.
 * Nodes that start together on an empty database race to insert the same slots; the unique key on
 * the slot lets exactly one insert of each slot win, and the losers re-read and carry on.
 */
public final class PoolSeeder {

  private static final Logger log = LoggerFactory.getLogger(PoolSeeder.class);
  private static final int TOKENS_PER_TRANSACTION = 5_000;
  private static final int MAX_CONFLICTS = 50;

  private final Transactions transactions;
  private final TokenRepository repository = new TokenRepository();

  public PoolSeeder(Transactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Makes the pool exactly {@code size} tokens: adds the missing ones, refuses to shrink.
   *
   * @throws PoolShrinkRefusedException if the database already holds more tokens
   */
  public void ensureSize(int size) {
    int conflicts = 0;
    while (true) {
      int existing = transactions.once(this::checkedSlotCount);
      if (existing > size) {
        throw new PoolShrinkRefusedException(existing, size);
      }
      if (existing == size) {
        log.info("Token pool has {} tokens", size);
        return;
      }
      int upTo = Math.min(size, existing + TOKENS_PER_TRANSACTION);
      try {
        transactions.once(
            session -> {
              for (int slot = existing + 1; slot <= upTo; slot++) {
                repository.insertToken(session, new Token(UUID.randomUUID(), slot));
              }
              return null;
            });
        log.info("Added tokens {} to {} to the pool", existing + 1, upTo);
      } catch (TransientConflictException e) {
        // Another node inserted some of these slots first: count again.
        if (++conflicts > MAX_CONFLICTS) {
          throw e;
        }
      }
    }
  }

  private int checkedSlotCount(org.hibernate.StatelessSession session) {
    TokenRepository.SlotCount slots = repository.slotCount(session);
    if (slots.tokens() != slots.maxSlot()) {
      throw new IllegalStateException(
          "The tokens table has "
              + slots.tokens()
              + " rows but slots up to "
              + slots.maxSlot()
              + ": it was edited by hand");
    }
    return slots.maxSlot();
  }
}
