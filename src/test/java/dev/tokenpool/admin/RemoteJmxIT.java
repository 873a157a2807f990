package dev.tokenpool.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.jobs.PruneJobRunsJob;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ForkedNode;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.RunHistory;
import dev.tokenpool.testing.TestDatabase;
import dev.tokenpool.testing.TomcatNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real remote JMX client against a node started by deploy/run.sh on the official Tomcat with the
 * deploy/ JMX configuration, and a second node (a forked JVM) in the same cluster.
 */
class RemoteJmxIT {

  private static final String NODE = "jmx-tomcat";
  private static final String ADMIN_PASSWORD = "jmx-admin-password";
  private static final String MONITOR_PASSWORD = "jmx-monitor-password";

  private static TestDatabase db;
  private static TomcatNode tomcat;
  private static ForkedNode second;
  private static JMXServiceURL url;
  private static RunHistory history;

  @BeforeAll
  static void startCluster() throws Exception {
    db = MariaDbServer.createDatabase("jmx");
    history = new RunHistory(db);
    Path dir = Files.createTempDirectory("tokenpool-jmx");
    Path passwords = dir.resolve("jmxremote.password");
    Files.writeString(
        passwords, "admin " + ADMIN_PASSWORD + "\nmonitor " + MONITOR_PASSWORD + "\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access = dir.resolve("jmxremote.access");
    Files.copy(Path.of("deploy", "jmx", "jmxremote.access.template"), access);
    Map<String, String> settings =
        NodeSettings.on(db)
            .with(PoolSettings.POOL_SIZE, "5")
            .with(PoolSettings.TOKEN_LIFETIME, "PT1S")
            .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S")
            .with(SchedulerSettings.CLUSTER_CHECKIN_INTERVAL, "PT1S")
            .asMap();
    int jmxPort = TomcatNode.freePort();
    Map<String, String> env = new HashMap<>(settings);
    env.put("JMX_PORT", String.valueOf(jmxPort));
    env.put("JMX_PASSWORD_FILE", passwords.toString());
    env.put("JMX_ACCESS_FILE", access.toString());
    tomcat = TomcatNode.start(NODE, TomcatNode.freePort(), env);
    second = ForkedNode.start("jmx-second", settings);
    url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
  }

  @AfterAll
  static void stopCluster() {
    if (second != null) {
      second.close();
    }
    if (tomcat != null) {
      tomcat.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aConnectionWithoutOrWithWrongCredentialsIsRefused() {
    assertThatThrownBy(() -> JMXConnectorFactory.connect(url).close())
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> connect("admin", "not-the-password").close())
        .isInstanceOf(SecurityException.class);
  }

  /**
   * The JDK deserialises an operation's arguments before it checks the login's access: a read-only
   * login must not get an arbitrary object deserialised. run.sh's filter lets only the types a JMX
   * client and our beans send through.
   */
  @Test
  void anArgumentOfATypeNoBeanTakesIsRefusedBeforeItIsDeserialised() throws Exception {
    try (JMXConnector connector = connect("monitor", MONITOR_PASSWORD)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ObjectName anyBean = new ObjectName("java.lang:type=Runtime");

      Throwable refused =
          catchThrowable(
              () ->
                  server.invoke(
                      anyBean,
                      "noSuchOperation",
                      new Object[] {
                        new java.util.HashMap<String, String>(), new java.net.URI("http://x")
                      },
                      new String[] {"java.util.HashMap", "java.net.URI"}));

      assertThat(refused).isNotNull();
      assertThat(causes(refused))
          .as("%s", refused)
          .anyMatch(
              cause ->
                  cause instanceof java.io.InvalidClassException
                      || String.valueOf(cause.getMessage()).contains("REJECTED"));
      // Plain arguments still pass the filter (and then meet the access check).
      assertThat(job(server).getInterval()).isEqualTo("PT1S");
    }
  }

  @Test
  void theMonitorReadsButCannotPause() throws Exception {
    try (JMXConnector connector = connect("monitor", MONITOR_PASSWORD)) {
      JobMXBean job = job(connector.getMBeanServerConnection());

      assertThat(job.getInterval()).isEqualTo("PT1S");
      Throwable refused = catchThrowable(job::pause);
      assertThat(refused).isNotNull();
      assertThat(causes(refused)).anyMatch(SecurityException.class::isInstance);
      assertThat(job.getState()).isNotEqualTo("PAUSED");
    }
  }

  @Test
  void theAdminChangesAJobsIntervalOverJmxAndResetsItAndTheMonitorCannot() throws Exception {
    try (JMXConnector monitor = connect("monitor", MONITOR_PASSWORD)) {
      JobMXBean prune = job(monitor.getMBeanServerConnection(), PruneJobRunsJob.NAME);
      assertThat(causes(catchThrowable(() -> prune.setInterval("PT5S"))))
          .anyMatch(SecurityException.class::isInstance);
      assertThat(prune.getIntervalSetBy()).isEqualTo("setting");
    }
    try (JMXConnector connector = connect("admin", ADMIN_PASSWORD)) {
      JobMXBean prune = job(connector.getMBeanServerConnection(), PruneJobRunsJob.NAME);
      String setting = prune.getInterval();

      prune.setInterval("PT5S");
      assertThat(prune.getInterval()).isEqualTo("PT5S");
      assertThat(prune.getIntervalSetBy()).isEqualTo("jmx");
      for (String refused : new String[] {"PT0.1S", "P2D", "soon"}) {
        assertThat(catchThrowable(() -> prune.setInterval(refused))).as(refused).isNotNull();
      }
      assertThat(prune.getInterval()).as("nothing refused changed it").isEqualTo("PT5S");

      prune.resetInterval();
      assertThat(prune.getInterval()).isEqualTo(setting);
      assertThat(prune.getIntervalSetBy()).isEqualTo("setting");
    }
  }

  @Test
  void theAdminPausesTheClusterTriggersOneRunAndResumes() throws Exception {
    try (JMXConnector connector = connect("admin", ADMIN_PASSWORD)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      JobMXBean job = job(server);
      assertThat(server.queryNames(new ObjectName("quartz:type=QuartzScheduler,*"), null))
          .isNotEmpty();

      job.pause();
      assertThat(job.getState()).isEqualTo("PAUSED");
      long scheduled = runs(false);
      // Neither node runs the job for more than three intervals.
      await()
          .during(Duration.ofMillis(3_500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> runs(false) == scheduled);

      long manual = runs(true);
      job.triggerNow();
      await().atMost(Duration.ofSeconds(10)).until(() -> runs(true) == manual + 1);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> runs(true) == manual + 1);

      job.resume();
      await().atMost(Duration.ofSeconds(10)).until(() -> runs(false) > scheduled);
      assertThat(job.getLastRunOutcome()).isIn("RUNNING", "SUCCESS");
    }
  }

  @Test
  void releaseExpiredNowReturnsHowManyUsagesItEnded() throws Exception {
    try (JMXConnector connector = connect("admin", ADMIN_PASSWORD)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      JobMXBean job = job(server);
      PoolMXBean pool =
          JMX.newMXBeanProxy(
              server, new ObjectName("dev.tokenpool:type=Pool,node=" + NODE), PoolMXBean.class);
      job.pause();
      try {
        // Holdings other tests left (a second's lease) expire first; then one pass ends them all.
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 0);
        pool.releaseExpiredNow();
        String key = apiKeys(server).createApiKey("jmx-operator", "tokens:admin").split(" ")[1];
        ApiClient api = new ApiClient(URI.create(tomcat.url()).toURL()).withBearer(key);
        String a = api.activate(UUID.randomUUID().toString()).text("token_id");
        String b = api.activate(UUID.randomUUID().toString()).text("token_id");
        assertThat(pool.getPoolSize()).isEqualTo(5);
        assertThat(pool.getTokenLifetime()).isEqualTo("PT1S");
        assertThat(List.of(pool.getMaxWait(), pool.getEventRetention()))
            .containsExactly("PT30S", "PT15M");
        assertThat(pool.getWaiters()).isZero();
        assertThat(pool.getWaitersHere()).isZero();
        assertThat(pool.getEventSubscribers()).isZero();
        assertThat(List.of(pool.getLeaseMin(), pool.getLeaseMax(), pool.getMaxHold()))
            .as("the lease range and the longest hold, from the lifetime's defaults")
            .containsExactly("PT1S", "PT10S", "PT1H");
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    api.get("/api/tokens/" + a).text("state").equals("available")
                        && api.get("/api/tokens/" + b).text("state").equals("available"));

        assertThat(pool.releaseExpiredNow()).isEqualTo(2);
        assertThat(pool.releaseExpiredNow()).isZero();
        assertThat(pool.getActiveCount()).isZero();
      } finally {
        job.resume();
      }
    }
  }

  @Test
  void theAdminCreatesAndRevokesAnApiKeyThatTheHttpApiHonours() throws Exception {
    try (JMXConnector admin = connect("admin", ADMIN_PASSWORD);
        JMXConnector monitor = connect("monitor", MONITOR_PASSWORD)) {
      ApiKeysMXBean keys = apiKeys(admin.getMBeanServerConnection());
      String[] created = keys.createApiKey("jmx-service", "tokens:any-user").split(" ");
      ApiClient api = new ApiClient(URI.create(tomcat.url()).toURL()).withBearer(created[1]);
      assertThat(api.activate("jmx-user-" + UUID.randomUUID()).status()).isEqualTo(200);

      Object listed = monitor.getMBeanServerConnection().getAttribute(apiKeysName(), "ApiKeys");
      assertThat(java.util.Arrays.deepToString((Object[]) listed))
          .contains(created[0])
          .contains("jmx-service")
          .doesNotContain(created[1]);
      Throwable refused =
          catchThrowable(
              () -> apiKeys(monitor.getMBeanServerConnection()).createApiKey("nope", "tokens"));
      assertThat(causes(refused)).anyMatch(SecurityException.class::isInstance);

      keys.deleteApiKey(created[0]);

      await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/tokens").status() == 401);
    }
  }

  @Test
  void theAdminCreatesResizesAndDeletesAPoolThatTheHttpApiServesAndTheMonitorCannot()
      throws Exception {
    ObjectName name = new ObjectName("dev.tokenpool:type=Pools,node=" + NODE);
    String pool = "jmx-" + UUID.randomUUID().toString().substring(0, 8);
    try (JMXConnector admin = connect("admin", ADMIN_PASSWORD);
        JMXConnector monitor = connect("monitor", MONITOR_PASSWORD)) {
      PoolsMXBean pools =
          JMX.newMXBeanProxy(admin.getMBeanServerConnection(), name, PoolsMXBean.class);
      PoolsMXBean watching =
          JMX.newMXBeanProxy(monitor.getMBeanServerConnection(), name, PoolsMXBean.class);

      assertThat(pools.createPool(pool, 3)).contains("name=" + pool).contains("tokens=3");
      assertThat(watching.getPoolNames()).contains(pool, "default");
      assertThat(causes(catchThrowable(() -> watching.resizePool(pool, 1))))
          .anyMatch(SecurityException.class::isInstance);
      String key =
          apiKeys(admin.getMBeanServerConnection())
              .createApiKey("jmx-pools-" + pool, "tokens:any-user")
              .split(" ")[1];
      ApiClient api = new ApiClient(URI.create(tomcat.url()).toURL()).withBearer(key);
      // The longest lease the node allows (ten of its 1 s lifetimes): the holding must still be
      // active when the delete below is refused for it, on a slow machine too.
      assertThat(
              api.postJson(
                      "/api/pools/" + pool + "/tokens/activate",
                      "{\"user_id\":\"u\",\"lease\":\"PT10S\"}")
                  .status())
          .isEqualTo(200);

      assertThat(pools.resizePool(pool, 1)).contains("size=1").contains("tokens=1");
      assertThat(pools.changePool(pool, "PT3S", "", "", "fail"))
          .contains("lease_default=PT3S")
          .contains("on_full_default=fail");
      assertThat(catchThrowable(() -> pools.createPool(pool, 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exists already");
      assertThat(catchThrowable(() -> pools.createPool("Not A Name", 1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(catchThrowable(() -> pools.deletePool(pool, false)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("active holding");
      assertThat(pools.deletePool(pool, true)).isEqualTo(1);
      assertThat(api.get("/api/pools/" + pool + "/tokens").status()).isEqualTo(404);
    }
  }

  private static ObjectName apiKeysName() throws Exception {
    return new ObjectName("dev.tokenpool:type=ApiKeys,node=" + NODE);
  }

  private static ApiKeysMXBean apiKeys(MBeanServerConnection server) throws Exception {
    return JMX.newMXBeanProxy(server, apiKeysName(), ApiKeysMXBean.class);
  }

  private static JMXConnector connect(String user, String password) throws Exception {
    return JMXConnectorFactory.connect(
        url, Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
  }

  private static JobMXBean job(MBeanServerConnection server) throws Exception {
    return job(server, ExpireTokensJob.NAME);
  }

  private static JobMXBean job(MBeanServerConnection server, String name) throws Exception {
    return JMX.newMXBeanProxy(
        server,
        new ObjectName("dev.tokenpool:type=Job,node=" + NODE + ",name=" + name),
        JobMXBean.class);
  }

  private static long runs(boolean manual) throws Exception {
    return history.runs(ExpireTokensJob.NAME).stream().filter(r -> r.manual() == manual).count();
  }

  private static java.util.List<Throwable> causes(Throwable failure) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
