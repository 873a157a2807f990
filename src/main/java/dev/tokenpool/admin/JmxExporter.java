package dev.tokenpool.admin;

import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.events.EventRelay;
import dev.tokenpool.jobs.JobDefinition;
import dev.tokenpool.jobs.Jobs;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.WaitingRoom;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this node's MXBeans in the platform MBean server and unregisters them on close, so a
 * redeployed WAR leaves no bean (and no class loader) behind. Names carry the node id, so several
 * nodes in one JVM stay apart.
 */
public final class JmxExporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JmxExporter.class);
  public static final String DOMAIN = "dev.tokenpool";

  private final MBeanServer server;
  private final List<ObjectName> registered;

  private JmxExporter(MBeanServer server, List<ObjectName> registered) {
    this.server = server;
    this.registered = registered;
  }

  public static JmxExporter export(
      String nodeId,
      Supplier<TokenService> defaultPool,
      WaitingRoom waitingRoom,
      EventRelay events,
      Jobs jobs,
      ApiKeys apiKeys,
      PoolCatalogue catalogue,
      PoolSettings poolDefaults,
      AuditLog audit) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    List<ObjectName> registered = new ArrayList<>();
    JmxExporter exporter = new JmxExporter(server, registered);
    try {
      exporter.register(
          new ObjectName(DOMAIN + ":type=Pool,node=" + nodeId),
          new PoolAdmin(defaultPool, waitingRoom, events, jobs.expiry(), audit));
      exporter.register(
          new ObjectName(DOMAIN + ":type=Pools,node=" + nodeId),
          new PoolsAdmin(catalogue, poolDefaults, audit));
      exporter.register(
          new ObjectName(DOMAIN + ":type=ApiKeys,node=" + nodeId),
          new ApiKeysAdmin(apiKeys, audit));
      for (JobDefinition job : jobs.catalogue().all()) {
        exporter.register(
            new ObjectName(DOMAIN + ":type=Job,node=" + nodeId + ",name=" + job.name()),
            new JobAdmin(jobs.control(), job.name(), audit));
      }
      return exporter;
    } catch (JMException | RuntimeException e) {
      exporter.close();
      throw new IllegalStateException(
          "Could not register the JMX beans of node " + nodeId + ": " + e, e);
    }
  }

  private void register(ObjectName name, Object bean) throws JMException {
    server.registerMBean(bean, name);
    registered.add(name);
  }

  @Override
  public void close() {
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (JMException e) {
        log.warn("Could not unregister {}: {}", name, e.toString());
      }
    }
    registered.clear();
  }
}
