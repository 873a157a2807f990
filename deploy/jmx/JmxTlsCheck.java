import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * A remote JMX client for a tokenpool node, run from source ({@code java JmxTlsCheck.java}): it
 * connects, reads the node's uptime and lists tokenpool's MBeans, and prints what happened.
 *
 * <pre>
 *   java deploy/jmx/JmxTlsCheck.java HOST:PORT CA_PEM USER PASSWORD_FILE
 *       over TLS (the RMI registry too), trusting only the CA certificate(s) in CA_PEM
 *   java deploy/jmx/JmxTlsCheck.java --plain HOST:PORT USER PASSWORD_FILE
 *       without TLS: a node that serves JMX over TLS must refuse it
 * </pre>
 *
 * The password is read from PASSWORD_FILE (its first line), never from the command line, where
 * any user would see it in {@code ps}. Exit status 0 when connected, 1 when not.
 */
public final class JmxTlsCheck {

  public static void main(String[] args) throws Exception {
    boolean plain = args.length > 0 && args[0].equals("--plain");
    int first = plain ? 1 : 0;
    if (args.length != first + (plain ? 3 : 4)) {
      System.err.println(
          "usage: JmxTlsCheck HOST:PORT CA_PEM USER PASSWORD_FILE | --plain HOST:PORT USER PASSWORD_FILE");
      System.exit(2);
    }
    String address = args[first];
    String user = args[plain ? first + 1 : first + 2];
    Path passwordFile = Path.of(args[plain ? first + 2 : first + 3]);
    String password = Files.readAllLines(passwordFile).get(0).strip();

    Map<String, Object> environment = new HashMap<>();
    environment.put(JMXConnector.CREDENTIALS, new String[] {user, password});
    if (!plain) {
      // The default SSLContext is what SslRMIClientSocketFactory uses, for the registry lookup
      // and for the RMI connection it hands out.
      SSLContext.setDefault(trusting(Path.of(args[first + 1])));
      environment.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
    }
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + address + "/jmxrmi");
    String how = plain ? "plain JMX" : "JMX over TLS";
    try (JMXConnector connector = JMXConnectorFactory.connect(url, environment)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      Object uptime = server.getAttribute(new ObjectName("java.lang:type=Runtime"), "Uptime");
      System.out.println(how + " to " + address + ": connected as " + user + "; uptime " + uptime
          + " ms; tokenpool MBeans " + server.queryNames(new ObjectName("dev.tokenpool:*"), null));
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      System.out.println(how + " to " + address + ": refused or failed: " + e + " (cause: " + cause + ")");
      System.exit(1);
    }
  }

  /** A TLS context that trusts the certificates of a PEM file and nothing else. */
  static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      int n = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + n++, certificate);
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
