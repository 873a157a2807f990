package dev.tokenpool.security;

import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.pools.PoolList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * API keys for services without an identity provider, kept in the database so that every node
 * accepts a new key and refuses a deleted one. A key is {@value #PREFIX} and 256 random bits; only
 * its SHA-256 digest is stored, and a node finds the key by that digest. What a node read of a key
 * it trusts for {@code cacheTtl}: a deleted key is refused everywhere at most that long after. When
 * the key was last used is written at most once a minute per key.
 */
public final class ApiKeys {

  public static final String PREFIX = "tpk_";
  static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

  private static final String COLUMNS =
      "id, name, scope, created_at, created_by, expires_at, last_used_at, pools";

  private final Transactions transactions;
  private final Clock clock;
  private final TimedCache<String, ApiKey> cache;

  public ApiKeys(Transactions transactions, Clock clock, Duration cacheTtl, LongSupplier nanoTime) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cache = new TimedCache<>(cacheTtl, nanoTime);
  }

  /** Whether a bearer credential is one of our keys rather than a provider's token. */
  public static boolean looksLikeKey(String credential) {
    return credential.startsWith(PREFIX);
  }

  /** Creates a key for every pool; its secret is in the result and nowhere else. */
  public IssuedApiKey create(
      String name, ClientRole scope, Optional<Instant> expiresAt, String createdBy) {
    return create(name, scope, Set.of(), expiresAt, createdBy);
  }

  /**
   * Creates a key limited to the pools named (every pool when none); its secret is in the result
   * and nowhere else.
   */
  public IssuedApiKey create(
      String name,
      ClientRole scope,
      Set<String> pools,
      Optional<Instant> expiresAt,
      String createdBy) {
    Objects.requireNonNull(scope, "scope");
    Instant now = clock.instant();
    // Stored in milliseconds, as every instant of the schema; shown as stored.
    expiresAt = expiresAt.map(expiry -> expiry.truncatedTo(ChronoUnit.MILLIS));
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
      throw new IllegalArgumentException("expiresAt must be in the future");
    }
    String secret = Secrets.random(PREFIX);
    ApiKey key =
        new ApiKey(
            UUID.randomUUID().toString(),
            name,
            scope,
            now,
            createdBy,
            expiresAt,
            Optional.empty(),
            pools);
    transactions.retrying(
        session ->
            session.doReturningWork(
                connection -> {
                  insert(connection, key, Secrets.digest(secret));
                  return null;
                }));
    return new IssuedApiKey(key, secret);
  }

  /** Every key, oldest first. */
  public List<ApiKey> list() {
    return transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  try (PreparedStatement select =
                      connection.prepareStatement(
                          "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id")) {
                    return readAll(select);
                  }
                }));
  }

  public boolean isEmpty() {
    return transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  try (PreparedStatement select =
                          connection.prepareStatement("SELECT 1 FROM api_keys");
                      ResultSet rows = select.executeQuery()) {
                    return !rows.next();
                  }
                }));
  }

  /** Deletes the key: every node refuses it within the cache's lifetime. */
  public ApiKey delete(String id) {
    ApiKey deleted =
        transactions.once(
            session ->
                session.doReturningWork(
                    connection -> {
                      Optional<ApiKey> key = find(connection, "id", id);
                      if (key.isEmpty()) {
                        throw new ApiKeyNotFoundException(id);
                      }
                      try (PreparedStatement delete =
                          connection.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
                        delete.setString(1, id);
                        delete.executeUpdate();
                      }
                      return key.get();
                    }));
    cache.forgetIf(key -> key.id().equals(id));
    return deleted;
  }

  /** The client a presented key stands for; invalid if it is unknown, deleted or expired. */
  public Client authenticate(String presented) {
    ApiKey key =
        cache
            .get(Secrets.digest(presented), this::read)
            .orElseThrow(() -> new InvalidTokenException("Unknown or revoked API key"));
    if (key.isExpiredAt(clock.instant())) {
      throw new InvalidTokenException("The API key has expired");
    }
    return new Client(key.name(), key.scope(), "api-key:" + key.id(), key.pools());
  }

  /** Reads the key by its digest and notes its use, at most once a minute. */
  private Optional<ApiKey> read(String digest) {
    Instant now = clock.instant();
    return transactions.once(
        session ->
            session.doReturningWork(
                connection -> {
                  Optional<ApiKey> key = find(connection, "key_digest", digest);
                  if (key.isPresent()
                      && key.get()
                          .lastUsedAt()
                          .map(last -> last.plus(LAST_USE_RESOLUTION).isBefore(now))
                          .orElse(true)) {
                    try (PreparedStatement touch =
                        connection.prepareStatement(
                            "UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
                      touch.setLong(1, now.toEpochMilli());
                      touch.setString(2, key.get().id());
                      touch.executeUpdate();
                    }
                  }
                  return key;
                }));
  }

  private static Optional<ApiKey> find(Connection connection, String column, String value)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM api_keys WHERE " + column + " = ?")) {
      select.setString(1, value);
      return readAll(select).stream().findFirst();
    }
  }

  private static void insert(Connection connection, ApiKey key, String digest) throws SQLException {
    try (PreparedStatement taken =
        connection.prepareStatement("SELECT 1 FROM api_keys WHERE name = ?")) {
      taken.setString(1, key.name());
      try (ResultSet rows = taken.executeQuery()) {
        if (rows.next()) {
          throw new ApiKeyNameTakenException(key.name());
        }
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO api_keys (id, name, scope, key_digest, created_at, created_by,"
                + " expires_at, pools) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, key.id());
      insert.setString(2, key.name());
      insert.setString(3, key.scope().name());
      insert.setString(4, digest);
      insert.setLong(5, key.createdAt().toEpochMilli());
      insert.setString(6, key.createdBy());
      if (key.expiresAt().isPresent()) {
        insert.setLong(7, key.expiresAt().get().toEpochMilli());
      } else {
        insert.setNull(7, Types.BIGINT);
      }
      insert.setString(8, PoolList.format(key.pools()));
      insert.executeUpdate();
    }
  }

  private static List<ApiKey> readAll(PreparedStatement select) throws SQLException {
    List<ApiKey> keys = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        keys.add(
            new ApiKey(
                row.getString(1),
                row.getString(2),
                ClientRole.valueOf(row.getString(3)),
                Instant.ofEpochMilli(row.getLong(4)),
                row.getString(5),
                instant(row, 6),
                instant(row, 7),
                PoolList.parse(row.getString(8))));
      }
    }
    return keys;
  }

  private static Optional<Instant> instant(ResultSet row, int column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
