package dev.tokenpool.admin;

import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.pools.PoolList;
import dev.tokenpool.security.Secrets;
import dev.tokenpool.security.TimedCache;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The console's logins: a login checked once is exchanged for a random session id that the browser
 * keeps in an HttpOnly cookie, so no password stays in the page. Sessions live in the database
 * (only a digest of the id), so any node behind a balancer knows them and a log-out ends them
 * everywhere; a node trusts what it read of a session for a few seconds.
 */
public final class OperatorSessions {

  public static final Duration LIFETIME = Duration.ofHours(1);
  static final Duration CACHE_TTL = Duration.ofSeconds(5);

  /** A logged-in operator, when the session ends, and the pools it may manage (empty: all). */
  public record Session(String operator, Role role, Instant expiresAt, Set<String> pools) {
    public Session {
      pools = Set.copyOf(pools);
    }
  }

  /** A session just opened, and the id that only its cookie carries. */
  public record Opened(String id, Session session) {
    @Override
    public String toString() {
      return "Opened{" + session + "}"; // never the id
    }
  }

  private final Transactions transactions;
  private final Clock clock;
  private final TimedCache<String, Session> cache;

  public OperatorSessions(Transactions transactions, Clock clock, LongSupplier nanoTime) {
    this.transactions = transactions;
    this.clock = clock;
    this.cache = new TimedCache<>(CACHE_TTL, nanoTime);
  }

  /** Opens a session of every pool; see {@link #open(String, Role, Set)}. */
  public Opened open(String operator, Role role) {
    return open(operator, role, Set.of());
  }

  /**
   * Opens a session limited to the pools given (every pool when empty) and returns its id, for the
   * cookie; expired sessions are swept meanwhile.
   */
  public Opened open(String operator, Role role, Set<String> pools) {
    String id = Secrets.random("tps_");
    Instant now = clock.instant();
    Session opened = new Session(operator, role, now.plus(LIFETIME), pools);
    transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  try (PreparedStatement sweep =
                      connection.prepareStatement(
                          "DELETE FROM operator_sessions WHERE expires_at <= ?")) {
                    sweep.setLong(1, now.toEpochMilli());
                    sweep.executeUpdate();
                  }
                  try (PreparedStatement insert =
                      connection.prepareStatement(
                          "INSERT INTO operator_sessions (session_digest, operator, role,"
                              + " created_at, expires_at, pools) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, digest(id));
                    insert.setString(2, operator);
                    insert.setString(3, role.name());
                    insert.setLong(4, now.toEpochMilli());
                    insert.setLong(5, opened.expiresAt().toEpochMilli());
                    insert.setString(6, PoolList.format(pools));
                    insert.executeUpdate();
                  }
                  return null;
                }));
    return new Opened(id, opened);
  }

  /** The session of this id, if it exists and has not expired. */
  public Optional<Session> find(String id) {
    return cache
        .get(digest(id), this::read)
        .filter(session -> clock.instant().isBefore(session.expiresAt()));
  }

  /** Ends the session on every node (this one at once, others within their cache's seconds). */
  public void close(String id) {
    String digest = digest(id);
    cache.forget(digest);
    transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  try (PreparedStatement delete =
                      connection.prepareStatement(
                          "DELETE FROM operator_sessions WHERE session_digest = ?")) {
                    delete.setString(1, digest);
                    return delete.executeUpdate();
                  }
                }));
  }

  private Optional<Session> read(String digest) {
    return transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  try (PreparedStatement select =
                      connection.prepareStatement(
                          "SELECT operator, role, expires_at, pools FROM operator_sessions"
                              + " WHERE session_digest = ?")) {
                    select.setString(1, digest);
                    try (ResultSet row = select.executeQuery()) {
                      return row.next()
                          ? Optional.of(
                              new Session(
                                  row.getString(1),
                                  Role.valueOf(row.getString(2)),
                                  Instant.ofEpochMilli(row.getLong(3)),
                                  PoolList.parse(row.getString(4))))
                          : Optional.<Session>empty();
                    }
                  }
                }));
  }

  private static String digest(String id) {
    return Secrets.digest(id);
  }
}
