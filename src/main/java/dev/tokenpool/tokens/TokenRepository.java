package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StatelessSession;

/**
 * Every statement on tokens and usages. The locking reads are native SQL so that the exact lock
 * clause is visible: {@code FOR UPDATE SKIP LOCKED} (MySQL 8, MariaDB 10.6+, H2 2.2+) lets
 * concurrent activations each take a different token instead of queueing on one row.
 *
 * <p>Lock order, to keep transactions from deadlocking: a token row first, then its usage row.
 */
final class TokenRepository {

  private static final String TOKEN_COLUMNS =
      "id, slot, current_usage_id, current_user_id, activated_at, expires_at";

  Optional<Token> find(StatelessSession session, UUID tokenId) {
    return Optional.ofNullable(session.get(Token.class, tokenId));
  }

  Optional<Token> lockById(StatelessSession session, UUID tokenId) {
    return first(
        session
            .createNativeQuery(
                "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = :id FOR UPDATE", Token.class)
            .setParameter("id", tokenId.toString())
            .getResultList());
  }

  /** The token this user holds, possibly with an expired usage, locked. */
  Optional<Token> lockHeldBy(StatelessSession session, UUID userId) {
    return first(
        session
            .createNativeQuery(
                "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE current_user_id = :user FOR UPDATE",
                Token.class)
            .setParameter("user", userId.toString())
            .getResultList());
  }

  /** A token nobody holds, locked; tokens other transactions hold locks on are skipped. */
  Optional<Token> lockFree(StatelessSession session) {
    return first(
        session
            .createNativeQuery(
                "SELECT "
                    + TOKEN_COLUMNS
                    + " FROM tokens WHERE current_usage_id IS NULL"
                    + " ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED",
                Token.class)
            .getResultList());
  }

  /**
   * Up to {@code limit} tokens whose usage has expired by {@code now}, locked, oldest first. Every
   * locking query here filters and orders on one index, so the server stops after {@code limit}
   * rows instead of locking all candidates before sorting them.
   */
  List<Token> lockExpired(StatelessSession session, Instant now, int limit) {
    return session
        .createNativeQuery(
            "SELECT "
                + TOKEN_COLUMNS
                + " FROM tokens WHERE expires_at <= :now"
                + " ORDER BY expires_at, slot LIMIT :limit FOR UPDATE SKIP LOCKED",
            Token.class)
        .setParameter("now", now.toEpochMilli())
        .setParameter("limit", limit)
        .getResultList();
  }

  /**
   * The held token with the oldest activation that no other transaction is changing. The query
   * walks the {@code (activated_at, slot)} index and stops at the first row, so it locks one row:
   * a filter on {@code expires_at} here would make the server sort, and lock, every held token.
   * The caller checks whether the token expired meanwhile.
   */
  Optional<Token> lockOldestHeld(StatelessSession session) {
    return first(
        session
            .createNativeQuery(
                "SELECT "
                    + TOKEN_COLUMNS
                    + " FROM tokens WHERE activated_at IS NOT NULL"
                    + " ORDER BY activated_at, slot LIMIT 1 FOR UPDATE SKIP LOCKED",
                Token.class)
            .getResultList());
  }

  /**
   * Up to {@code limit} held tokens activated no later than {@code cutoff}, locked. This waits for
   * locks rather than skipping, so that a clear misses no token that is merely being changed.
   */
  List<Token> lockHeldSince(StatelessSession session, Instant cutoff, int limit) {
    return session
        .createNativeQuery(
            "SELECT "
                + TOKEN_COLUMNS
                + " FROM tokens WHERE activated_at <= :cutoff"
                + " ORDER BY activated_at, slot LIMIT :limit FOR UPDATE",
            Token.class)
        .setParameter("cutoff", cutoff.toEpochMilli())
        .setParameter("limit", limit)
        .getResultList();
  }

  /**
   * Opens a usage of a locked, unheld token. The unique keys on the open usage refuse a second
   * open usage of the token or of the user, whatever any caller believed.
   */
  void open(StatelessSession session, Token token, UUID userId, Instant now, Instant expiresAt) {
    Usage usage = new Usage(token.id(), userId, now, expiresAt);
    session.insert(usage);
    int updated =
        session
            .createMutationQuery(
                "update Token set currentUsageId = :usage, currentUserId = :user,"
                    + " activatedAt = :now, expiresAt = :expiresAt"
                    + " where id = :id and currentUsageId is null")
            .setParameter("usage", usage.id())
            .setParameter("user", userId)
            .setParameter("now", now)
            .setParameter("expiresAt", expiresAt)
            .setParameter("id", token.id())
            .executeUpdate();
    requireOneRow(updated, "take token " + token.id());
  }

  /**
   * Ends the usage a locked token holds. Both updates are keyed by the usage itself, so a caller
   * working from a stale read can never end a newer usage of the same token, and a usage that has
   * already ended is never ended again.
   */
  void endCurrentUsage(StatelessSession session, Token token, EndReason reason, Instant endedAt) {
    endCurrentUsage(session, token, reason, endedAt, null);
  }

  /** As above, naming the job run that ends the usage ({@code null} for a request). */
  void endCurrentUsage(
      StatelessSession session, Token token, EndReason reason, Instant endedAt, String endedByRun) {
    Long usageId = token.currentUsageId();
    int tokens =
        session
            .createMutationQuery(
                "update Token set currentUsageId = null, currentUserId = null,"
                    + " activatedAt = null, expiresAt = null"
                    + " where id = :id and currentUsageId = :usage")
            .setParameter("id", token.id())
            .setParameter("usage", usageId)
            .executeUpdate();
    requireOneRow(tokens, "free token " + token.id());
    int usages =
        session
            .createMutationQuery(
                "update Usage set endedAt = :endedAt, endReason = :reason, endedByRun = :run,"
                    + " openTokenId = null, openUserId = null"
                    + " where id = :usage and endedAt is null")
            .setParameter("endedAt", endedAt)
            .setParameter("reason", reason)
            .setParameter("run", endedByRun)
            .setParameter("usage", usageId)
            .executeUpdate();
    requireOneRow(usages, "end usage " + usageId);
  }

  List<Token> page(
      StatelessSession session, TokenFilter filter, Instant now, long afterSlot, int limit) {
    String condition =
        switch (filter) {
          case ALL -> "";
          case ACTIVE -> " and expiresAt > :now";
          case AVAILABLE -> " and (currentUsageId is null or expiresAt <= :now)";
        };
    var query =
        session
            .createSelectionQuery(
                "from Token where slot > :after" + condition + " order by slot", Token.class)
            .setParameter("after", (int) Math.min(afterSlot, Integer.MAX_VALUE))
            .setMaxResults(limit);
    if (filter != TokenFilter.ALL) {
      query.setParameter("now", now);
    }
    return query.getResultList();
  }

  long countActive(StatelessSession session, Instant now) {
    return session
        .createSelectionQuery("select count(*) from Token where expiresAt > :now", Long.class)
        .setParameter("now", now)
        .getSingleResult();
  }

  long countTokens(StatelessSession session) {
    return session.createSelectionQuery("select count(*) from Token", Long.class).getSingleResult();
  }

  /** The highest slot in use, 0 for an empty pool. */
  int maxSlot(StatelessSession session) {
    Integer max =
        session.createSelectionQuery("select max(slot) from Token", Integer.class).getSingleResult();
    return max == null ? 0 : max;
  }

  void insertToken(StatelessSession session, Token token) {
    session.insert(token);
  }

  long usageCount(StatelessSession session, UUID tokenId) {
    return session
        .createSelectionQuery("select count(*) from Usage where tokenId = :token", Long.class)
        .setParameter("token", tokenId)
        .getSingleResult();
  }

  /** A token's usages with ids below {@code beforeId}, newest first. */
  List<Usage> history(StatelessSession session, UUID tokenId, long beforeId, int limit) {
    return session
        .createSelectionQuery(
            "from Usage where tokenId = :token and id < :before order by id desc", Usage.class)
        .setParameter("token", tokenId)
        .setParameter("before", beforeId)
        .setMaxResults(limit)
        .getResultList();
  }

  private static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static void requireOneRow(int rows, String what) {
    if (rows != 1) {
      // The caller holds the token's row lock, so this means the lock protocol was broken.
      throw new IllegalStateException("Could not " + what + ": " + rows + " rows changed");
    }
  }
}
