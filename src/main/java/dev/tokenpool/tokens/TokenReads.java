package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What the pool holds and held, read without locks, each read in one transaction: the listings, a
 * holding, the counts, a token's details and history, a user's history, and the fence check. {@link
 * TokenService} changes holdings and answers these through this class.
 */
final class TokenReads {

  private final Transactions transactions;
  private final Clock clock;
  private final int poolId;
  private final TokenRepository repository;
  private final TokenWrites writes;

  TokenReads(
      Transactions transactions,
      Clock clock,
      int poolId,
      TokenRepository repository,
      TokenWrites writes) {
    this.transactions = transactions;
    this.clock = clock;
    this.poolId = poolId;
    this.repository = repository;
    this.writes = writes;
  }

  /**
   * Whether {@code fence} is the token's current holding now, for a resource that cannot keep
   * fences of its own (Chubby's sequencer check).
   */
  public FenceStatus fence(UUID tokenId, long fence) {
    Instant now = now();
    return transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  Token token = find(session, tokenId);
                  Optional<TokenWrites.Holding> named = writes.holding(connection, fence);
                  if (named.isEmpty() || !named.get().tokenId().equals(tokenId)) {
                    return new FenceStatus(
                        tokenId,
                        fence,
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty());
                  }
                  TokenWrites.Holding holding = named.get();
                  boolean current =
                      Objects.equals(token.currentUsageId(), fence) && token.isActiveAt(now);
                  Optional<HoldingEnd> end =
                      holding.end().isPresent() || current
                          ? holding.end()
                          : Optional.of(
                              new HoldingEnd(EndReason.EXPIRED, holding.expiresAt(), null, null));
                  return new FenceStatus(
                      tokenId,
                      fence,
                      current,
                      Optional.of(holding.userId()),
                      Optional.of(holding.expiresAt()),
                      end);
                }));
  }

  /** A page of tokens in pool order, with the pool's active and available counts. */
  public TokenListing list(TokenFilter filter, long afterSlot, int limit) {
    Instant now = now();
    return transactions.once(
        session -> {
          List<Token> rows = repository.page(session, poolId, filter, now, afterSlot, limit + 1);
          boolean more = rows.size() > limit;
          List<Token> shown = more ? rows.subList(0, limit) : rows;
          Optional<Long> next =
              more ? Optional.of((long) shown.get(shown.size() - 1).slot()) : Optional.empty();
          long active = repository.countActive(session, poolId, now);
          long all = repository.countTokens(session, poolId);
          return new TokenListing(
              new Page<>(shown.stream().map(t -> t.viewAt(now)).toList(), next),
              active,
              all - active);
        });
  }

  /** The token the user holds now, if any. */
  public Optional<TokenView> holding(String userId) {
    Instant now = now();
    return transactions.once(
        session -> repository.heldBy(session, poolId, userId, now).map(token -> token.viewAt(now)));
  }

  /**
   * The pool's size and its active and available counts, and its retiring tokens still held, read
   * together.
   */
  public PoolCounts counts() {
    Instant now = now();
    return transactions.once(
        session -> {
          long active = repository.countActive(session, poolId, now);
          long all = repository.countTokens(session, poolId);
          long retiring = repository.countRetiring(session, poolId, now);
          return new PoolCounts(all, active, all - active, retiring);
        });
  }

  public TokenDetails get(UUID tokenId) {
    Instant now = now();
    return transactions.once(
        session -> {
          Token token = find(session, tokenId);
          return new TokenDetails(token.viewAt(now), repository.usageCount(session, tokenId));
        });
  }

  /** A page of the token's usages, newest first, with ids below {@code beforeUsageId}. */
  public TokenHistory history(UUID tokenId, long beforeUsageId, int limit) {
    return history(tokenId, Optional.empty(), beforeUsageId, limit);
  }

  /**
   * A page of the token's usages, newest first, with ids below {@code beforeUsageId}; with {@code
   * onlyUser}, that user's usages alone (what a holder may see of a token's history).
   */
  public TokenHistory history(
      UUID tokenId, Optional<String> onlyUser, long beforeUsageId, int limit) {
    return transactions.once(
        session -> {
          find(session, tokenId);
          List<Usage> rows =
              repository.history(session, tokenId, onlyUser, beforeUsageId, limit + 1);
          boolean more = rows.size() > limit;
          List<Usage> shown = more ? rows.subList(0, limit) : rows;
          Optional<Long> next =
              more ? Optional.of(shown.get(shown.size() - 1).id()) : Optional.empty();
          return new TokenHistory(
              tokenId, new Page<>(shown.stream().map(Usage::view).toList(), next));
        });
  }

  /**
   * A page of the user's holdings across tokens, newest first, with fences below {@code before}.
   */
  public Page<UsageView> userHistory(String userId, long beforeFence, int limit) {
    return transactions.once(
        session -> {
          List<Usage> rows = repository.userHistory(session, userId, beforeFence, limit + 1);
          boolean more = rows.size() > limit;
          List<Usage> shown = more ? rows.subList(0, limit) : rows;
          Optional<Long> next =
              more ? Optional.of(shown.get(shown.size() - 1).id()) : Optional.empty();
          return new Page<>(shown.stream().map(Usage::view).toList(), next);
        });
  }

  /** The pool's token with this id, live or retired. */
  private Token find(org.hibernate.StatelessSession session, UUID tokenId) {
    return repository
        .find(session, tokenId)
        .filter(token -> token.poolId() == poolId)
        .orElseThrow(() -> new TokenNotFoundException(tokenId));
  }

  private Instant now() {
    return clock.instant();
  }
}
