package dev.tokenpool.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.tokenpool.config.DatabaseSettings;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema (application and scheduler tables) up to date with Flyway. Flyway takes a
 * database lock while it migrates, so nodes starting together on one database migrate once. With a
 * migration login ({@code TOKENPOOL_DB_MIGRATION_USER}) Flyway connects with it and the runtime
 * login needs no right to change tables (docs/security.md, least privilege).
 */
public final class SchemaMigrator {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  private final Database database;
  private final DatabaseSettings settings;

  public SchemaMigrator(Database database, DatabaseSettings settings) {
    this.database = database;
    this.settings = settings;
  }

  public void migrate() {
    Optional<HikariDataSource> migrationPool =
        database.owned() ? ConnectionPools.openMigrationPool(settings) : Optional.empty();
    try {
      migrate(migrationPool.<DataSource>map(pool -> pool).orElse(database.dataSource()));
      migrationPool.ifPresent(
          pool -> log.info("Migrated as {}", settings.migrationUser().orElseThrow()));
    } finally {
      migrationPool.ifPresent(HikariDataSource::close);
    }
  }

  private void migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure(getClass().getClassLoader())
            .dataSource(dataSource)
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
