package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.testing.UsageEntry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The token pool's rules, as one behaviour suite that every supported database must pass. Time is
 * driven by a settable clock; each test starts a node on a fresh, empty database.
 */
abstract class TokenServiceContract extends PoolOnFreshDatabase {

  /** An open usage of token %1$s by user %2$s, written by hand. */
  static final String OPEN_USAGE =
      "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id, open_user_id,"
          + " pool_id, open_pool_id)"
          + " VALUES ('%1$s', '%2$s', 1767225600000, 1767225720000, '%1$s', '%2$s', 1, 1)";

  @Test
  void aNewUserGetsAFreeTokenForTheConfiguredLifetime() {
    String user = newUser();

    Activation activation = tokens.activate(user);

    assertThat(activation.userId()).isEqualTo(user);
    assertThat(activation.activatedAt()).isEqualTo(START);
    assertThat(activation.expiresAt()).isEqualTo(START.plus(LIFETIME));
    assertThat(activation.evictedUserId()).isNull();
    TokenView token = tokens.get(activation.tokenId()).token();
    assertThat(token.state()).isEqualTo(TokenState.ACTIVE);
    assertThat(token.currentUserId()).isEqualTo(user);
    assertThat(token.activatedAt()).isEqualTo(START);
    assertThat(history(activation.tokenId()))
        .containsExactly(new UsageEntry(user, START, START.plus(LIFETIME), null, null));
  }

  @Test
  void recentActivityCountsEachOpeningAndEachEndingInItsOwnMinute() {
    // START is 00:59:59.123; the counts are read at 01:02:05.123.
    Activation a = tokens.activate(newUser());
    Activation b = tokens.activate(newUser());
    tokens.activate(newUser()); // c: expires 01:01:59.123
    clock.advance(Duration.ofSeconds(11));
    Activation d = tokens.activate(newUser()); // the pool is full: a is evicted
    clock.advance(Duration.ofSeconds(10));
    tokens.release(b.tokenId());
    clock.advance(Duration.ofSeconds(105));
    assertThat(tokens.releaseExpired()).isEqualTo(1); // c, ended at its expiry in minute 01:01
    tokens.activate(newUser());
    assertThat(tokens.clearActive()).isEqualTo(2); // d and e

    PoolActivity activity = node.recentActivity().lastMinutes(10);

    assertThat(d.evictedUserId()).isEqualTo(a.userId());
    assertThat(activity.complete()).isTrue();
    assertThat(activity.minutes()).hasSize(10);
    assertThat(activity.minutes().get(0).start()).isEqualTo(Instant.parse("2026-03-29T00:53:00Z"));
    assertThat(activity.minutes().subList(6, 10))
        .containsExactly(
            new PoolActivity.Minute(Instant.parse("2026-03-29T00:59:00Z"), 3, 0, 0, 0, 0, 0),
            new PoolActivity.Minute(Instant.parse("2026-03-29T01:00:00Z"), 1, 0, 0, 1, 1, 0),
            new PoolActivity.Minute(Instant.parse("2026-03-29T01:01:00Z"), 0, 0, 1, 0, 0, 0),
            new PoolActivity.Minute(Instant.parse("2026-03-29T01:02:00Z"), 1, 0, 0, 0, 0, 2));
    assertThat(activity.minutes().subList(0, 6))
        .allMatch(m -> m.activations() + m.expired() + m.evicted() + m.released() == 0);
  }

  @Test
  void recentActivityThatCouldNotReadBackFarEnoughSaysItIsIncomplete() {
    for (int i = 0; i < 3; i++) {
      tokens.activate(newUser());
    }

    assertThat(node.recentActivity().readingAtMost(4).lastMinutes(10).complete())
        .as("every event read")
        .isTrue();
    PoolActivity partial = node.recentActivity().readingAtMost(2).lastMinutes(10);
    assertThat(partial.complete()).isFalse();
    assertThat(partial.minutes().get(9).activations()).isEqualTo(2);
    // An expiry is recorded after its instant, so only an event that happened a good while before
    // the window ends the read.
    clock.advance(Duration.ofMinutes(9).plus(RecentActivity.LATE_RECORDING).plusSeconds(61));
    assertThat(node.recentActivity().readingAtMost(2).lastMinutes(10).complete())
        .as("the events read happened well before the window")
        .isTrue();
  }

  @Test
  void aRepeatedActivationReturnsTheSameTokenAndExpiry() {
    String user = newUser();
    Activation first = tokens.activate(user);
    clock.advance(Duration.ofSeconds(30));

    Activation again = tokens.activate(user);

    assertThat(again).isEqualTo(first);
    assertThat(tokens.get(first.tokenId()).usageCount()).isEqualTo(1);
  }

  @Test
  void aRepeatedActivationAfterExpiryEndsTheOldUsageAsExpiredAndStartsAnother() {
    String user = newUser();
    Activation first = tokens.activate(user);
    clock.advance(LIFETIME.plusSeconds(5));

    Activation again = tokens.activate(user);

    assertThat(again.activatedAt()).isEqualTo(clock.instant());
    assertThat(allUsagesOf(user))
        .containsExactlyInAnyOrder(
            new UsageEntry(user, START, first.expiresAt(), first.expiresAt(), EndReason.EXPIRED),
            new UsageEntry(user, again.activatedAt(), again.expiresAt(), null, null));
  }

  @Test
  void aFullPoolEvictsTheOldestActiveTokenForTheNewcomer() {
    String oldest = newUser();
    Activation oldestActivation = tokens.activate(oldest);
    for (int i = 1; i < POOL_SIZE; i++) {
      clock.advance(Duration.ofSeconds(1));
      tokens.activate(newUser());
    }
    clock.advance(Duration.ofSeconds(1));
    String newcomer = newUser();

    Activation activation = tokens.activate(newcomer);

    assertThat(activation.evictedUserId()).isEqualTo(oldest);
    assertThat(activation.tokenId()).isEqualTo(oldestActivation.tokenId());
    assertThat(history(activation.tokenId()))
        .containsExactly(
            new UsageEntry(newcomer, clock.instant(), clock.instant().plus(LIFETIME), null, null),
            new UsageEntry(
                oldest, START, START.plus(LIFETIME), clock.instant(), EndReason.EVICTED));
    assertThat(tokens.list(TokenFilter.ALL, 0, 10).activeCount()).isEqualTo(POOL_SIZE);
  }

  @Test
  void anExpiredTokenIsAvailableBeforeAnythingEndsItsUsage() {
    Activation activation = tokens.activate(newUser());
    clock.advance(LIFETIME);

    TokenListing listing = tokens.list(TokenFilter.ALL, 0, 10);

    assertThat(listing.activeCount()).isZero();
    assertThat(listing.availableCount()).isEqualTo(POOL_SIZE);
    assertThat(tokens.get(activation.tokenId()).token())
        .isEqualTo(
            new TokenView(activation.tokenId(), TokenState.AVAILABLE, null, null, null, null));
    assertThat(tokens.list(TokenFilter.ACTIVE, 0, 10).page().items()).isEmpty();
    // Reading changes nothing: the usage is still open in the history.
    assertThat(history(activation.tokenId()).get(0).endReason()).isNull();
  }

  @Test
  void anExpiredTokenIsReusedBeforeAnyActiveTokenIsEvicted() {
    Activation expiring = tokens.activate(newUser());
    clock.advance(Duration.ofSeconds(90));
    for (int i = 1; i < POOL_SIZE; i++) {
      tokens.activate(newUser());
    }
    clock.advance(Duration.ofSeconds(30)); // the first usage expires now; the others do not

    Activation activation = tokens.activate(newUser());

    assertThat(activation.evictedUserId()).isNull();
    assertThat(activation.tokenId()).isEqualTo(expiring.tokenId());
    assertThat(history(expiring.tokenId()).get(1).endReason()).isEqualTo(EndReason.EXPIRED);
    assertThat(history(expiring.tokenId()).get(1).endedAt()).isEqualTo(expiring.expiresAt());
  }

  @Test
  void releaseEndsTheActiveUsageAsReleased() {
    String user = newUser();
    Activation activation = tokens.activate(user);
    clock.advance(Duration.ofSeconds(10));

    ReleasedUsage released = tokens.release(activation.tokenId());

    assertThat(released)
        .isEqualTo(
            new ReleasedUsage(
                activation.tokenId(),
                user,
                activation.fence(),
                START,
                activation.expiresAt(),
                clock.instant(),
                EndReason.RELEASED));
    assertThat(tokens.get(activation.tokenId()).token().state()).isEqualTo(TokenState.AVAILABLE);
    assertThat(tokens.activate(user).tokenId()).isEqualTo(activation.tokenId());
  }

  @Test
  void releasingATokenNobodyHoldsIsRefused() {
    UUID free = tokens.list(TokenFilter.AVAILABLE, 0, 1).page().items().get(0).tokenId();

    assertThatThrownBy(() -> tokens.release(free))
        .isInstanceOfSatisfying(
            TokenNotActiveException.class, e -> assertThat(e.tokenId()).isEqualTo(free));
  }

  @Test
  void releasingAnExpiredTokenEndsItAsExpiredAndIsRefused() {
    Activation activation = tokens.activate(newUser());
    clock.advance(LIFETIME.plusSeconds(1));

    assertThatThrownBy(() -> tokens.release(activation.tokenId()))
        .isInstanceOf(TokenNotActiveException.class);
    assertThat(history(activation.tokenId()).get(0).endReason()).isEqualTo(EndReason.EXPIRED);
  }

  @Test
  void anUnknownTokenIsNotFound() {
    UUID unknown = UUID.randomUUID();

    assertThatThrownBy(() -> tokens.get(unknown)).isInstanceOf(TokenNotFoundException.class);
    assertThatThrownBy(() -> tokens.history(unknown, Long.MAX_VALUE, 10))
        .isInstanceOf(TokenNotFoundException.class);
    assertThatThrownBy(() -> tokens.release(unknown))
        .isInstanceOfSatisfying(
            TokenNotFoundException.class, e -> assertThat(e.tokenId()).isEqualTo(unknown));
  }

  @Test
  void anIdentityProvidersSubjectIsKeptExactlyAsGiven() {
    assertKeptExactly("auth0|5f7c8ad2e1");
  }

  @Test
  void anIdOfTheLongestAllowedLengthIsKeptExactlyAsGiven() {
    // Characters beyond ASCII count as one each, in Java as in the utf8mb4 column.
    String longest = "ø" + "a1B2c3D4e5".repeat(25) + "æøå|";
    assertThat(longest).hasSize(UserIds.MAX_LENGTH);
    assertThat(UserIds.problemWith(longest)).isEmpty();

    assertKeptExactly(longest);
  }

  @Test
  void idsThatDifferOnlyInCaseAreTwoUsers() throws SQLException {
    Activation upper = tokens.activate("Alice");

    Activation lower = tokens.activate("alice");

    assertThat(lower.tokenId()).isNotEqualTo(upper.tokenId());
    assertThat(lower.evictedUserId()).isNull();
    assertThat(tokens.activate("Alice")).isEqualTo(upper);
    assertThat(tokens.activate("alice")).isEqualTo(lower);
    assertThat(tokens.holding("Alice")).map(TokenView::tokenId).contains(upper.tokenId());
    assertThat(tokens.holding("alice")).map(TokenView::tokenId).contains(lower.tokenId());
    assertThat(tokens.holding("ALICE")).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(2);
    assertThatThrownBy(() -> tokens.release(upper.tokenId(), Optional.of("alice")))
        .isInstanceOf(NotTheHolderException.class);
    assertThat(tokens.get(upper.tokenId()).token().currentUserId()).isEqualTo("Alice");
  }

  @Test
  void aUserWhoDoesNotHoldTheTokenCannotReleaseItAndTheHoldingStaysOpen() {
    String holder = newUser();
    String other = newUser();
    Activation held = tokens.activate(holder);
    Activation othersOwn = tokens.activate(other);
    clock.advance(Duration.ofSeconds(10));

    assertThatThrownBy(() -> tokens.release(held.tokenId(), Optional.of(other)))
        .isInstanceOfSatisfying(
            NotTheHolderException.class, e -> assertThat(e.tokenId()).isEqualTo(held.tokenId()));

    assertThat(tokens.get(held.tokenId()).token())
        .isEqualTo(
            new TokenView(
                held.tokenId(), TokenState.ACTIVE, holder, held.fence(), START, held.expiresAt()));
    assertThat(history(held.tokenId()))
        .containsExactly(new UsageEntry(holder, START, held.expiresAt(), null, null));
    assertThat(tokens.holding(holder)).map(TokenView::tokenId).contains(held.tokenId());
    assertThat(tokens.holding(other)).map(TokenView::tokenId).contains(othersOwn.tokenId());
    assertThat(tokens.activate(holder)).isEqualTo(held);
  }

  @Test
  void theHolderCanReleaseTheirToken() {
    String holder = "auth0|5f7c8ad2e1";
    Activation activation = tokens.activate(holder);
    clock.advance(Duration.ofSeconds(10));

    ReleasedUsage released = tokens.release(activation.tokenId(), Optional.of(holder));

    assertThat(released)
        .isEqualTo(
            new ReleasedUsage(
                activation.tokenId(),
                holder,
                activation.fence(),
                START,
                activation.expiresAt(),
                clock.instant(),
                EndReason.RELEASED));
    assertThat(tokens.get(activation.tokenId()).token().state()).isEqualTo(TokenState.AVAILABLE);
    assertThat(history(activation.tokenId()))
        .containsExactly(
            new UsageEntry(
                holder, START, activation.expiresAt(), clock.instant(), EndReason.RELEASED));
  }

  @Test
  void historyOfOneUserListsOnlyThatUsersUsagesNewestFirstAndPaged() {
    String alice = "Alice";
    String bob = newUser();
    Set<UUID> tokensUsed = new HashSet<>();
    List<UsageEntry> alicesUsages = new ArrayList<>();
    for (String user : List.of(alice, bob, alice, bob)) {
      Activation activation = tokens.activate(user);
      tokensUsed.add(activation.tokenId());
      clock.advance(Duration.ofSeconds(1));
      tokens.release(activation.tokenId());
      if (user.equals(alice)) {
        alicesUsages.add(
            0,
            new UsageEntry(
                alice,
                activation.activatedAt(),
                activation.expiresAt(),
                clock.instant(),
                EndReason.RELEASED));
      }
    }
    assertThat(tokensUsed).as("the lowest free slot each time").hasSize(1);
    UUID token = tokensUsed.iterator().next();

    TokenHistory first = tokens.history(token, Optional.of(alice), Long.MAX_VALUE, 1);
    TokenHistory second =
        tokens.history(token, Optional.of(alice), first.page().nextAfter().orElseThrow(), 1);

    assertThat(UsageEntry.of(first.page().items())).containsExactly(alicesUsages.get(0));
    assertThat(UsageEntry.of(second.page().items())).containsExactly(alicesUsages.get(1));
    assertThat(second.page().nextAfter()).isEmpty();
    assertThat(tokens.history(token, Optional.of(bob), Long.MAX_VALUE, 10).page().items())
        .hasSize(2)
        .allMatch(usage -> usage.userId().equals(bob));
    assertThat(tokens.history(token, Optional.of("alice"), Long.MAX_VALUE, 10).page().items())
        .isEmpty();
    assertThat(history(token)).hasSize(4);
  }

  @Test
  void holdingIsTheUsersActiveTokenUntilTheyReleaseIt() {
    String user = newUser();
    assertThat(tokens.holding(user)).isEmpty();
    Activation activation = tokens.activate(user);
    tokens.activate(newUser());

    assertThat(tokens.holding(user))
        .contains(
            new TokenView(
                activation.tokenId(),
                TokenState.ACTIVE,
                user,
                activation.fence(),
                START,
                activation.expiresAt()));

    tokens.release(activation.tokenId(), Optional.of(user));
    assertThat(tokens.holding(user)).isEmpty();
  }

  @Test
  void aUserHoldsNothingOnceTheirTokenHasExpired() {
    String user = newUser();
    Activation activation = tokens.activate(user);

    clock.advance(LIFETIME.minusMillis(1));
    assertThat(tokens.holding(user)).map(TokenView::tokenId).contains(activation.tokenId());
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.holding(user)).isEmpty();
  }

  @Test
  void clearingEndsActiveUsagesAsClearedAndExpiredOnesAsExpired() {
    Activation expired = tokens.activate(newUser());
    clock.advance(LIFETIME.plusSeconds(1));
    Activation active = tokens.activate(newUser());

    int cleared = tokens.clearActive();

    assertThat(cleared).isEqualTo(1);
    assertThat(history(active.tokenId()).get(0).endReason()).isEqualTo(EndReason.CLEARED);
    assertThat(history(active.tokenId()).get(0).endedAt()).isEqualTo(clock.instant());
    assertThat(history(expired.tokenId()).get(history(expired.tokenId()).size() - 1).endReason())
        .isEqualTo(EndReason.EXPIRED);
    assertThat(tokens.clearActive()).isZero();
  }

  @Test
  void releasingExpiredUsagesEndsEachOfThemOnce() {
    Activation early = tokens.activate(newUser());
    clock.advance(Duration.ofSeconds(60));
    Activation late = tokens.activate(newUser());
    clock.advance(Duration.ofSeconds(61)); // only the first has expired

    assertThat(tokens.releaseExpired()).isEqualTo(1);
    assertThat(tokens.releaseExpired()).isZero();
    assertThat(history(early.tokenId()).get(0).endReason()).isEqualTo(EndReason.EXPIRED);
    assertThat(history(late.tokenId()).get(0).endReason()).isNull();
  }

  @Test
  void historyIsNewestFirstAndPaged() {
    UUID token = null;
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String user = newUser();
      users.add(0, user);
      token = tokens.activate(user).tokenId();
      clock.advance(Duration.ofSeconds(1));
      tokens.release(token);
    }

    TokenHistory first = tokens.history(token, Long.MAX_VALUE, 2);
    TokenHistory second = tokens.history(token, first.page().nextAfter().orElseThrow(), 2);
    TokenHistory last = tokens.history(token, second.page().nextAfter().orElseThrow(), 2);

    List<String> seen = new ArrayList<>();
    for (TokenHistory page : List.of(first, second, last)) {
      page.page().items().forEach(u -> seen.add(u.userId()));
    }
    assertThat(seen).isEqualTo(users);
    assertThat(last.page().nextAfter()).isEmpty();
  }

  @Test
  void listingPagesThroughThePoolInSlotOrderAndFiltersByState() {
    Activation held = tokens.activate(newUser());

    TokenListing first = tokens.list(TokenFilter.ALL, 0, 2);
    TokenListing rest = tokens.list(TokenFilter.ALL, first.page().nextAfter().orElseThrow(), 2);

    assertThat(first.page().items()).hasSize(2);
    assertThat(rest.page().items()).hasSize(POOL_SIZE - 2);
    assertThat(rest.page().nextAfter()).isEmpty();
    assertThat(first.activeCount()).isEqualTo(1);
    assertThat(first.availableCount()).isEqualTo(POOL_SIZE - 1);
    assertThat(tokens.list(TokenFilter.ACTIVE, 0, 10).page().items())
        .extracting(TokenView::tokenId)
        .containsExactly(held.tokenId());
    assertThat(tokens.list(TokenFilter.AVAILABLE, 0, 10).page().items())
        .hasSize(POOL_SIZE - 1)
        .allMatch(t -> t.state() == TokenState.AVAILABLE && t.currentUserId() == null);
  }

  @Test
  void instantsSurviveTheDatabaseExactlyWhateverTheTimeZones() {
    clock.set(Instant.parse("2026-10-25T01:30:00.987654321Z")); // a DST change in Europe

    Activation activation = tokens.activate(newUser());

    assertThat(activation.activatedAt()).isEqualTo(Instant.parse("2026-10-25T01:30:00.987Z"));
    assertThat(tokens.get(activation.tokenId()).token().activatedAt())
        .isEqualTo(activation.activatedAt());
    assertThat(history(activation.tokenId()).get(0).expiresAt()).isEqualTo(activation.expiresAt());
  }

  @Test
  void growingThePoolAddsTokensAndKeepsTheExistingOnes() {
    List<UUID> before = allTokenIds();
    node.close();
    node = null;

    node = startNode(POOL_SIZE + 2);

    List<UUID> after = new ArrayList<>();
    node.tokenService()
        .list(TokenFilter.ALL, 0, 10)
        .page()
        .items()
        .forEach(t -> after.add(t.tokenId()));
    assertThat(after).hasSize(POOL_SIZE + 2).startsWith(before.toArray(UUID[]::new));
  }

  @Test
  void shrinkingThePoolIsRefusedAtStartup() {
    node.close();
    node = null;

    assertThatThrownBy(() -> startNode(POOL_SIZE - 1))
        .isInstanceOf(PoolShrinkRefusedException.class)
        .hasMessageContaining("TOKENPOOL_POOL_SIZE=" + (POOL_SIZE - 1))
        .hasMessageContaining(String.valueOf(POOL_SIZE));
  }

  @Test
  void theDatabaseRefusesASecondOpenUsageOfAToken() throws SQLException {
    Activation activation = tokens.activate(newUser());

    assertThatThrownBy(() -> sql(OPEN_USAGE, activation.tokenId(), newUser()))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                    .contains("uq_usages_open_token"));
  }

  @Test
  void theDatabaseRefusesASecondOpenUsageOfAUser() throws SQLException {
    String user = newUser();
    tokens.activate(user);
    UUID otherToken = tokens.list(TokenFilter.AVAILABLE, 0, 1).page().items().get(0).tokenId();

    assertThatThrownBy(() -> sql(OPEN_USAGE, otherToken, user))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                    .contains("uq_usages_open_user"));
  }

  @Test
  void theDatabaseRefusesASecondOpenUsageOfAnIdButNotOfTheSameIdInAnotherCase()
      throws SQLException {
    String subject = "auth0|5f7c8ad2e1";
    tokens.activate(subject);
    List<UUID> free =
        tokens.list(TokenFilter.AVAILABLE, 0, 2).page().items().stream()
            .map(TokenView::tokenId)
            .toList();

    assertThatThrownBy(() -> sql(OPEN_USAGE, free.get(0), subject))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                    .contains("uq_usages_open_user"));
    sql(OPEN_USAGE, free.get(1), "AUTH0|5F7C8AD2E1");
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(2);
  }

  @Test
  void theDatabaseRefusesToEndAUsageItsTokenStillHolds() throws SQLException {
    Activation activation = tokens.activate(newUser());

    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE usages SET ended_at = started_at, end_reason = 'RELEASED',"
                        + " open_token_id = NULL, open_user_id = NULL, open_pool_id = NULL"
                        + " WHERE token_id = '%s'",
                    activation.tokenId()))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void theDatabaseRefusesAnOpenUsageMarkedEndedOrAnUnknownReason() throws SQLException {
    Activation activation = tokens.activate(newUser());

    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE usages SET end_reason = 'EXPIRED' WHERE token_id = '%s'",
                    activation.tokenId()))
        .isInstanceOf(SQLException.class);
    tokens.release(activation.tokenId());
    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE usages SET end_reason = 'LOST' WHERE token_id = '%s'",
                    activation.tokenId()))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void theDatabaseRefusesToChangeTheEndOfAnEndedUsage() throws SQLException {
    Activation activation = tokens.activate(newUser());
    tokens.release(activation.tokenId());

    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE usages SET ended_at = ended_at + 1 WHERE token_id = '%s'",
                    activation.tokenId()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("already ended");
    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE usages SET end_reason = 'EXPIRED', ended_by_run = 'other'"
                        + " WHERE token_id = '%s'",
                    activation.tokenId()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("already ended");
    assertThat(history(activation.tokenId()).get(0).endReason()).isEqualTo(EndReason.RELEASED);
  }

  /** The user's id reads back unchanged everywhere, and finds the user's token again. */
  private void assertKeptExactly(String user) {
    Activation activation = tokens.activate(user);

    assertThat(activation.userId()).isEqualTo(user);
    assertThat(tokens.get(activation.tokenId()).token().currentUserId()).isEqualTo(user);
    assertThat(tokens.holding(user)).map(TokenView::tokenId).contains(activation.tokenId());
    assertThat(history(activation.tokenId())).extracting(UsageEntry::userId).containsExactly(user);
    assertThat(tokens.activate(user)).isEqualTo(activation);
    assertThat(tokens.release(activation.tokenId(), Optional.of(user)).userId()).isEqualTo(user);
  }

  /** A user no test has seen, with an id as the first clients sent them: a UUID. */
  private static String newUser() {
    return UUID.randomUUID().toString();
  }

  private List<UsageEntry> history(UUID tokenId) {
    return UsageEntry.of(tokens.history(tokenId, Long.MAX_VALUE, 100).page().items());
  }

  private List<UsageEntry> allUsagesOf(String user) {
    List<UsageEntry> usages = new ArrayList<>();
    for (TokenView token : tokens.list(TokenFilter.ALL, 0, 100).page().items()) {
      history(token.tokenId()).stream().filter(u -> u.userId().equals(user)).forEach(usages::add);
    }
    return usages;
  }

  private List<UUID> allTokenIds() {
    List<UUID> ids = new ArrayList<>();
    tokens.list(TokenFilter.ALL, 0, 100).page().items().forEach(t -> ids.add(t.tokenId()));
    return ids;
  }
}
