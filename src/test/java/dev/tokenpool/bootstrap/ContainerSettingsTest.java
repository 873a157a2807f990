package dev.tokenpool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.InvalidConfigurationException;
import dev.tokenpool.config.TokenPoolConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Which container DataSource a node takes, by TOKENPOOL_DATASOURCE_JNDI, with a fake JNDI. */
final class ContainerSettingsTest {

  private final Map<String, Object> bound = new HashMap<>();
  private final Function<String, Optional<Object>> jndi =
      name -> Optional.ofNullable(bound.get(name));

  private static DatabaseSettings database(String... jndiName) {
    Map<String, String> settings = new HashMap<>(Map.of(TokenPoolConfig.NODE_ID, "test-node"));
    if (jndiName.length > 0) {
      settings.put(DatabaseSettings.DATASOURCE_JNDI, jndiName[0]);
    }
    return TokenPoolConfig.from(name -> Optional.ofNullable(settings.get(name))).database();
  }

  @Test
  void withoutANameTheNodeTakesTheDataSourceAtTheDefaultNameWhenOneIsBound() {
    JdbcDataSource tomcats = new JdbcDataSource();
    bound.put("java:comp/env/jdbc/tokenpool", tomcats);

    assertThat(ContainerSettings.containerDataSource(database(), jndi)).containsSame(tomcats);
  }

  @Test
  void withoutANameNothingBoundMeansTheNodesOwnPools() {
    assertThat(ContainerSettings.containerDataSource(database(), jndi)).isEmpty();
    bound.put("java:comp/env/jdbc/tokenpool", "not a DataSource");
    assertThat(ContainerSettings.containerDataSource(database(), jndi)).isEmpty();
  }

  @Test
  void aNamedDataSourceIsTakenFromItsNameAndTheDefaultNameIsNotConsulted() {
    JdbcDataSource wildflys = new JdbcDataSource();
    bound.put("java:/jdbc/tokenpool", wildflys);
    bound.put("java:comp/env/jdbc/tokenpool", new JdbcDataSource());

    assertThat(ContainerSettings.containerDataSource(database("java:/jdbc/tokenpool"), jndi))
        .containsSame(wildflys);
  }

  @Test
  void aNamedDataSourceThatIsNotBoundStopsTheStartNamingTheSettingAndTheName() {
    bound.put("java:comp/env/jdbc/tokenpool", new JdbcDataSource());

    assertThatThrownBy(
            () -> ContainerSettings.containerDataSource(database("java:/jdbc/missing"), jndi))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo(DatabaseSettings.DATASOURCE_JNDI))
        .hasMessageContaining("TOKENPOOL_DATASOURCE_JNDI")
        .hasMessageContaining("'java:/jdbc/missing'")
        .hasMessageContaining("no DataSource is bound");
  }

  @Test
  void aNamedEntryThatIsNoDataSourceStopsTheStartNamingWhatIsBound() {
    bound.put("java:comp/env/jdbc/tokenpool", "jdbc:h2:mem:x");

    assertThatThrownBy(
            () ->
                ContainerSettings.containerDataSource(
                    database("java:comp/env/jdbc/tokenpool"), jndi))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TOKENPOOL_DATASOURCE_JNDI")
        .hasMessageContaining("java.lang.String, not a DataSource");
  }
}
