package dev.tokenpool.testing.jetty;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Offers {@link JettyContainer} to Arquillian where Jetty is on the class path, which only the
 * failsafe execution deployed-jetty has among the executions that deploy the WAR (the Tomcat
 * executions exclude Jetty's jars, deployed-jetty excludes the Tomcat adapter): each of them sees
 * exactly one container.
 */
public final class JettyExtension implements LoadableExtension {

  @Override
  public void register(ExtensionBuilder builder) {
    if (Validate.classExists("org.eclipse.jetty.ee10.webapp.WebAppContext")) {
      builder.service(DeployableContainer.class, JettyContainer.class);
    }
  }
}
