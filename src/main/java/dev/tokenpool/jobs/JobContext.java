package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.tokens.TokenService;
import java.time.Clock;

/**
 * What a job's definition may use: the node's services, the same for every job ({@link JobKind}).
 *
 * @param tokens the default pool's service, whose expiry pass covers every pool
 * @param runs the statements on the run history
 */
public record JobContext(
    SchedulerSettings settings,
    Database database,
    Transactions transactions,
    TokenService tokens,
    PoolCatalogue pools,
    Clock clock,
    JobRunRepository runs) {}
