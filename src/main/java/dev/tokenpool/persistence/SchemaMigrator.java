package dev.tokenpool.persistence;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema (application and scheduler tables) up to date with Flyway. Flyway takes a
 * database lock while it migrates, so nodes starting together on one database migrate once.
 */
public final class SchemaMigrator {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  private final Database database;

  public SchemaMigrator(Database database) {
    this.database = database;
  }

  public void migrate() {
    MigrateResult result =
        Flyway.configure(getClass().getClassLoader())
            .dataSource(database.dataSource())
            .locations(database.vendor().migrationLocation())
            .failOnMissingLocations(true)
            .load()
            .migrate();
    log.info(
        "Schema at version {} ({} migration(s) applied now)",
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion,
        result.migrationsExecuted);
  }
}
