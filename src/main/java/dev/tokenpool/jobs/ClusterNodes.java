package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cluster as its scheduler nodes see it: every node in Quartz's check-in table (a node with the
 * scheduler off never checks in, and a node that stopped cleanly has removed its row), whether it
 * is alive, and which nodes ran the latest runs. Both are read in one transaction.
 */
public final class ClusterNodes {

  /** How many of the newest runs count for "who ran the latest fires". */
  public static final int LATEST_RUNS = 50;

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Clock clock;

  ClusterNodes(Transactions transactions, JobRunRepository repository, Clock clock) {
    this.transactions = transactions;
    this.repository = repository;
    this.clock = clock;
  }

  /** The nodes in node-id order. */
  public List<ClusterNode> all() {
    Instant now = clock.instant();
    return transactions.once(
        session -> {
          List<JobRunView> latest =
              repository.latest(session, null, LATEST_RUNS).stream().map(JobRun::view).toList();
          Map<String, List<JobRunView>> byNode =
              latest.stream().collect(Collectors.groupingBy(JobRunView::nodeId));
          return repository.checkIns(session).stream()
              .sorted(Comparator.comparing(JobRunRepository.CheckIn::nodeId))
              .map(checkIn -> node(checkIn, byNode.getOrDefault(checkIn.nodeId(), List.of()), now))
              .toList();
        });
  }

  private static ClusterNode node(
      JobRunRepository.CheckIn checkIn, List<JobRunView> runsNewestFirst, Instant now) {
    Optional<JobRunView> newest = runsNewestFirst.stream().findFirst();
    return new ClusterNode(
        checkIn.nodeId(),
        checkIn.last(),
        checkIn.interval(),
        ClusterNode.aliveAt(checkIn.last(), checkIn.interval(), now),
        newest.orElse(null),
        runsNewestFirst.size());
  }
}
