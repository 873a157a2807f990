package dev.tokenpool.testing.jetty;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * The properties of {@code <container qualifier="jetty">} in arquillian.xml, named as the Tomcat
 * adapter names its own so that both containers read the same port setting.
 */
public final class JettyConfiguration implements ContainerConfiguration {

  private String bindAddress = "127.0.0.1";
  private int bindHttpPort = 18080;

  public String getBindAddress() {
    return bindAddress;
  }

  public void setBindAddress(String bindAddress) {
    this.bindAddress = bindAddress;
  }

  public int getBindHttpPort() {
    return bindHttpPort;
  }

  public void setBindHttpPort(int bindHttpPort) {
    this.bindHttpPort = bindHttpPort;
  }

  @Override
  public void validate() throws ConfigurationException {
    if (bindHttpPort < 1 || bindHttpPort > 65535) {
      throw new ConfigurationException("bindHttpPort " + bindHttpPort + " is no TCP port");
    }
  }
}
