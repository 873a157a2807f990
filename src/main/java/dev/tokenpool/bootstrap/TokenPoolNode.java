package dev.tokenpool.bootstrap;

import dev.tokenpool.admin.JmxExporter;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.jobs.JobRun;
import dev.tokenpool.jobs.Jobs;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.SchemaMigrator;
import dev.tokenpool.persistence.SessionFactories;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.tokens.PoolSeeder;
import dev.tokenpool.tokens.Token;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.Usage;
import java.time.Clock;
import java.util.List;
import org.hibernate.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tokenpool node: the whole object graph, wired by hand in {@link #start}, and closed
 * in reverse order. This is the only place that decides which object gets which collaborator.
 */
public final class TokenPoolNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TokenPoolNode.class);

  private final TokenPoolConfig config;
  private final Database database;
  private final SessionFactory sessionFactory;
  private final TokenService tokenService;
  private final Jobs jobs;
  private final JmxExporter jmx;

  private TokenPoolNode(
      TokenPoolConfig config,
      Database database,
      SessionFactory sessionFactory,
      TokenService tokenService,
      Jobs jobs,
      JmxExporter jmx) {
    this.config = config;
    this.database = database;
    this.sessionFactory = sessionFactory;
    this.tokenService = tokenService;
    this.jobs = jobs;
    this.jmx = jmx;
  }

  /**
   * Migrates the schema, makes the pool the configured size and builds the services. On failure
   * everything opened so far is closed again before the exception propagates.
   */
  public static TokenPoolNode start(TokenPoolConfig config, Database database, Clock clock) {
    SessionFactory sessionFactory = null;
    try {
      new SchemaMigrator(database).migrate();
      sessionFactory =
          SessionFactories.build(database, List.of(Token.class, Usage.class, JobRun.class));
      Transactions transactions = new Transactions(sessionFactory);
      new PoolSeeder(transactions).ensureSize(config.poolSize());
      TokenService tokenService = new TokenService(transactions, clock, config.tokenLifetime());
      Jobs jobs =
          Jobs.start(config, database, transactions, tokenService, clock, config.schedulerEnabled());
      JmxExporter jmx;
      try {
        jmx = JmxExporter.export(config.nodeId(), tokenService, jobs);
      } catch (RuntimeException e) {
        jobs.close();
        throw e;
      }
      log.info("Node {} started: {}", config.nodeId(), config);
      return new TokenPoolNode(config, database, sessionFactory, tokenService, jobs, jmx);
    } catch (RuntimeException | Error e) {
      if (sessionFactory != null) {
        sessionFactory.close();
      }
      database.close();
      throw e;
    }
  }

  public TokenPoolConfig config() {
    return config;
  }

  public TokenService tokenService() {
    return tokenService;
  }

  public Jobs jobs() {
    return jobs;
  }

  @Override
  public void close() {
    try {
      jmx.close();
      jobs.close();
      sessionFactory.close();
    } finally {
      database.close();
    }
    log.info("Node {} stopped", config.nodeId());
  }
}
