package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StatelessSession;

/**
 * The reads of tokens and usages (listing, details, history, counts) and the seeding of the pool,
 * through Hibernate. Every write of a holding goes through {@link TokenWrites}.
 */
final class TokenRepository {

  Optional<Token> find(StatelessSession session, UUID tokenId) {
    return Optional.ofNullable(session.get(Token.class, tokenId));
  }

  List<Token> page(
      StatelessSession session,
      int poolId,
      TokenFilter filter,
      Instant now,
      long afterSlot,
      int limit) {
    String condition =
        switch (filter) {
          case ALL -> "";
          case ACTIVE -> " and expiresAt > :now";
          case AVAILABLE -> " and (currentUsageId is null or expiresAt <= :now)";
        };
    var query =
        session
            .createSelectionQuery(
                "from Token where livePoolId = :pool and slot > :after"
                    + condition
                    + " order by slot",
                Token.class)
            .setParameter("pool", poolId)
            .setParameter("after", (int) Math.min(afterSlot, Integer.MAX_VALUE))
            .setMaxResults(limit);
    if (filter != TokenFilter.ALL) {
      query.setParameter("now", now);
    }
    return query.getResultList();
  }

  long countActive(StatelessSession session, int poolId, Instant now) {
    return session
        .createSelectionQuery(
            "select count(*) from Token where livePoolId = :pool and expiresAt > :now", Long.class)
        .setParameter("pool", poolId)
        .setParameter("now", now)
        .getSingleResult();
  }

  /** The pool's live tokens. */
  long countTokens(StatelessSession session, int poolId) {
    return session
        .createSelectionQuery("select count(*) from Token where livePoolId = :pool", Long.class)
        .setParameter("pool", poolId)
        .getSingleResult();
  }

  /** The pool's retired tokens still held, until their holdings end. */
  long countRetiring(StatelessSession session, int poolId, Instant now) {
    return session
        .createSelectionQuery(
            "select count(*) from Token where poolId = :pool and livePoolId is null"
                + " and expiresAt > :now",
            Long.class)
        .setParameter("pool", poolId)
        .setParameter("now", now)
        .getSingleResult();
  }

  /** How many tokens there are and the highest slot in use (0 for an empty pool). */
  record SlotCount(long tokens, int maxSlot) {}

  /**
   * Both figures from one statement, so one snapshot: read one after the other under READ
   * COMMITTED, a seeding node's commit in between made them disagree.
   */
  SlotCount slotCount(StatelessSession session) {
    Object[] row =
        session
            .createSelectionQuery("select count(*), max(slot) from Token", Object[].class)
            .getSingleResult();
    return new SlotCount(
        ((Number) row[0]).longValue(), row[1] == null ? 0 : ((Number) row[1]).intValue());
  }

  void insertToken(StatelessSession session, Token token) {
    session.insert(token);
  }

  /** Every usage the token has had: those kept in the history and those pruned from it. */
  long usageCount(StatelessSession session, UUID tokenId) {
    long kept =
        session
            .createSelectionQuery("select count(*) from Usage where tokenId = :token", Long.class)
            .setParameter("token", tokenId)
            .getSingleResult();
    List<?> pruned =
        session
            .createNativeQuery(
                "SELECT pruned FROM pruned_usage_counts WHERE token_id = :token", Object.class)
            .setParameter("token", tokenId.toString())
            .getResultList();
    return kept + (pruned.isEmpty() ? 0 : ((Number) pruned.get(0)).longValue());
  }

  /** A token's usages (of one user, if given) with ids below {@code beforeId}, newest first. */
  List<Usage> history(
      StatelessSession session, UUID tokenId, Optional<String> onlyUser, long beforeId, int limit) {
    var query =
        session
            .createSelectionQuery(
                "from Usage where tokenId = :token and id < :before"
                    + (onlyUser.isPresent() ? " and userId = :user" : "")
                    + " order by id desc",
                Usage.class)
            .setParameter("token", tokenId)
            .setParameter("before", beforeId)
            .setMaxResults(limit);
    onlyUser.ifPresent(user -> query.setParameter("user", user));
    return query.getResultList();
  }

  /** The user's usages with ids below {@code beforeId}, newest first, across tokens. */
  List<Usage> userHistory(StatelessSession session, String userId, long beforeId, int limit) {
    return session
        .createSelectionQuery(
            "from Usage where userId = :user and id < :before order by id desc", Usage.class)
        .setParameter("user", userId)
        .setParameter("before", beforeId)
        .setMaxResults(limit)
        .getResultList();
  }

  /** The token the user holds unexpired at {@code now}, if any. */
  Optional<Token> heldBy(StatelessSession session, int poolId, String userId, Instant now) {
    return session
        .createSelectionQuery(
            "from Token where currentUserId = :user and poolId = :pool and expiresAt > :now",
            Token.class)
        .setParameter("user", userId)
        .setParameter("pool", poolId)
        .setParameter("now", now)
        .getResultList()
        .stream()
        .findFirst();
  }

  /** A usage's id, when it started and ended, and why. */
  record UsageTimes(long id, Instant startedAt, Instant endedAt, EndReason endReason) {}

  /** Usages with ids below {@code beforeId}, newest first: a backward read of the primary key. */
  List<UsageTimes> usageTimesBefore(StatelessSession session, long beforeId, int limit) {
    return session
        .createSelectionQuery(
            "select u.id, u.startedAt, u.endedAt, u.endReason from Usage u where u.id < :before"
                + " order by u.id desc",
            Object[].class)
        .setParameter("before", beforeId)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(
            row ->
                new UsageTimes(
                    (Long) row[0], (Instant) row[1], (Instant) row[2], (EndReason) row[3]))
        .toList();
  }
}
