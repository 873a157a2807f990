package dev.tokenpool.tokens;

import dev.tokenpool.persistence.DatabaseVendor;
import dev.tokenpool.persistence.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.StatelessSession;

/**
 * Deletes usages that ended before a cutoff, so the history cannot grow without bound, and keeps
 * every token's usage count as it was: what a batch deletes is added to the token's pruned count in
 * the same transaction. Open usages are never touched.
 */
public final class HistoryRetention {

  private final Transactions transactions;
  private final String addPrunedStatement;

  public HistoryRetention(Transactions transactions, DatabaseVendor vendor) {
    this.transactions = transactions;
    this.addPrunedStatement =
        vendor == DatabaseVendor.H2
            ? "MERGE INTO pruned_usage_counts t USING (VALUES (CAST(:token AS CHAR(36)),"
                + " CAST(:count AS BIGINT))) s(token_id, n) ON t.token_id = s.token_id"
                + " WHEN MATCHED THEN UPDATE SET pruned = t.pruned + s.n"
                + " WHEN NOT MATCHED THEN INSERT (token_id, pruned) VALUES (s.token_id, s.n)"
            : "INSERT INTO pruned_usage_counts (token_id, pruned) VALUES (:token, :count)"
                + " ON DUPLICATE KEY UPDATE pruned = pruned + VALUES(pruned)";
  }

  /** Deletes usages ended before {@code cutoff}, {@code batchSize} per transaction; the count. */
  public long pruneEndedBefore(Instant cutoff, int batchSize) {
    long bound = transactions.retrying(session -> firstIdStartedSince(session, cutoff));
    long pruned = 0;
    int batch;
    do {
      batch = transactions.retrying(session -> pruneBatch(session, bound, cutoff, batchSize));
      pruned += batch;
    } while (batch == batchSize);
    return pruned;
  }

  /**
   * Usage ids grow with their start, so a binary search over the primary key finds, in a few dozen
   * point reads, an id below which usages started before the cutoff. It only bounds the scan: the
   * batch's own condition on {@code ended_at} decides what is deleted, so a usage started out of
   * order (nodes' clocks) is pruned by a later run, never wrongly.
   */
  private static long firstIdStartedSince(StatelessSession session, Instant cutoff) {
    Long max =
        session.createSelectionQuery("select max(id) from Usage", Long.class).getSingleResult();
    if (max == null) {
      return 0;
    }
    long low = 0;
    long high = max + 1;
    while (low < high) {
      long middle = low + (high - low) / 2;
      List<Object[]> next =
          session
              .createSelectionQuery(
                  "select id, startedAt from Usage where id >= :from order by id", Object[].class)
              .setParameter("from", middle)
              .setMaxResults(1)
              .getResultList();
      if (next.isEmpty() || !((Instant) next.get(0)[1]).isBefore(cutoff)) {
        high = middle;
      } else {
        low = (Long) next.get(0)[0] + 1;
      }
    }
    return low;
  }

  private int pruneBatch(StatelessSession session, long bound, Instant cutoff, int batchSize) {
    List<Object[]> ended =
        session
            .createSelectionQuery(
                "select id, tokenId from Usage where id < :bound and endedAt < :cutoff order by id",
                Object[].class)
            .setParameter("bound", bound)
            .setParameter("cutoff", cutoff)
            .setMaxResults(batchSize)
            .getResultList();
    if (ended.isEmpty()) {
      return 0;
    }
    Map<UUID, Long> perToken = new TreeMap<>();
    for (Object[] row : ended) {
      perToken.merge((UUID) row[1], 1L, Long::sum);
    }
    int deleted =
        session
            .createMutationQuery("delete from Usage where id in (:ids)")
            .setParameter("ids", ended.stream().map(row -> (Long) row[0]).toList())
            .executeUpdate();
    // Tokens in a fixed order: two overlapping runs take the count rows' locks in the same order.
    perToken.forEach(
        (token, count) ->
            session
                .createNativeMutationQuery(addPrunedStatement)
                .setParameter("token", token.toString())
                .setParameter("count", count)
                .executeUpdate());
    return deleted;
  }
}
