package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.testing.TomcatNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node started by deploy/run.sh with TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY (certificates of
 * a CA made here with openssl), a health port and remote JMX, met as a client meets it: HTTPS only,
 * TLS 1.2 and 1.3 and nothing older, JMX over TLS only, the health port answering health checks
 * only, Tomcat's own error pages without a server name, and no secret on the command line.
 */
class HttpsNodeIT {

  private static final String JMX_PASSWORD = "jmx-admin-password-for-https-test";

  @TempDir static Path dir;

  private static Process node;
  private static int port;
  private static int healthPort;
  private static int jmxPort;
  private static SSLContext trustingTheCa;

  @BeforeAll
  static void startANodeWithACertificateOfItsOwnCa() throws Exception {
    openssl(
        "req",
        "-x509",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=https-test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    openssl(
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "node.key",
        "-out",
        "node.csr");
    Files.writeString(dir.resolve("node.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        "node.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "node.ext",
        "-out",
        "node.pem");
    Files.setPosixFilePermissions(
        dir.resolve("node.key"), PosixFilePermissions.fromString("rw-------"));
    Path passwords = Files.writeString(dir.resolve("jmx.password"), "admin " + JMX_PASSWORD + "\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("admin.pass"), JMX_PASSWORD + "\n");
    Path access = dir.resolve("jmx.access");
    Files.copy(Path.of("deploy", "jmx", "jmxremote.access.template"), access);
    trustingTheCa = trusting(dir.resolve("ca.pem"));

    port = TomcatNode.freePort();
    healthPort = TomcatNode.freePort();
    jmxPort = TomcatNode.freePort();
    ProcessBuilder builder =
        new ProcessBuilder("bash", Path.of("deploy", "run.sh").toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("TOKENPOOL_") || name.startsWith("JMX_"));
    env.put("PORT", String.valueOf(port));
    env.put("TOKENPOOL_HEALTH_PORT", String.valueOf(healthPort));
    env.put("TOKENPOOL_BIND_ADDRESS", "127.0.0.1");
    env.put("TOKENPOOL_NODE_ID", "https-test");
    env.put("TOKENPOOL_BASE_DIR", dir.resolve("base").toString());
    env.put("TOKENPOOL_DATA_DIR", dir.resolve("data").toString());
    env.put("TOKENPOOL_SKIP_BUILD", "1");
    env.put("TOKENPOOL_CDS", "0");
    env.put("TOKENPOOL_TLS_CERT", dir.resolve("node.pem").toString());
    env.put("TOKENPOOL_TLS_KEY", dir.resolve("node.key").toString());
    env.put("JMX_PORT", String.valueOf(jmxPort));
    env.put("JMX_PASSWORD_FILE", passwords.toString());
    env.put("JMX_ACCESS_FILE", access.toString());
    node = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .failFast("deploy/run.sh exited; see " + dir.resolve("run.log"), () -> !node.isAlive())
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + healthPort + "/health/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  @AfterAll
  static void stopTheNode() throws InterruptedException {
    if (node != null) {
      node.destroy();
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  @Test
  void theNodeSpeaksTls13AndTls12WithACertificateOfTheCa() throws Exception {
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      try (SSLSocket socket =
          (SSLSocket) trustingTheCa.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();

        assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      }
    }
    HttpResponse<String> ready =
        HttpClient.newBuilder()
            .sslContext(trustingTheCa)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Server")).isEmpty();
    assertThat(log()).contains("HTTPS on https://127.0.0.1:" + port).contains("plain HTTP is off");
  }

  /** The JDK will not offer TLS 1.1 any more; openssl will, and the node must refuse it. */
  @Test
  void theNodeRefusesTls11() throws Exception {
    String said =
        run(
            "openssl",
            "s_client",
            "-connect",
            "127.0.0.1:" + port,
            "-tls1_1",
            "-cipher",
            "DEFAULT@SECLEVEL=0",
            "-CAfile",
            dir.resolve("ca.pem").toString());

    assertThat(said).contains("alert protocol version").doesNotContain("BEGIN CERTIFICATE");
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswerFromTheApplication() throws Exception {
    String answer = rawExchange(new Socket("127.0.0.1", port));

    assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("UP");
  }

  @Test
  void tomcatsOwnErrorPagesNameNoServerOrVersion() throws Exception {
    String answer =
        rawExchange(
            trustingTheCa.getSocketFactory().createSocket("127.0.0.1", port),
            "GET /a b c HTTP/1.1\r\nHost: localhost\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("tomcat");
    assertThat(answer.toLowerCase()).doesNotContain("\nserver:");
  }

  @Test
  void theHealthPortAnswersHealthChecksAndNothingElse() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + healthPort;
    for (String path : List.of("/health", "/health/ready")) {
      assertThat(get(http, base + path)).as(path).isEqualTo(200);
    }
    for (String path : List.of("/api/tokens", "/console/", "/health/../api/tokens", "/metrics")) {
      assertThat(get(http, base + path)).as(path).isEqualTo(403);
    }
  }

  @Test
  void jmxAnswersOverTlsOnlyAndWithTheCa() throws Exception {
    String tool = Path.of("deploy", "jmx", "JmxTlsCheck.java").toString();
    String address = "127.0.0.1:" + jmxPort;
    String password = dir.resolve("admin.pass").toString();

    assertThat(run("java", tool, address, dir.resolve("ca.pem").toString(), "admin", password))
        .contains("JMX over TLS to " + address + ": connected as admin");
    assertThat(run("java", tool, "--plain", address, "admin", password))
        .contains("plain JMX to " + address + ": refused or failed");
  }

  @Test
  void noPasswordOrKeyIsOnTheNodesCommandLine() throws Exception {
    String commandLine =
        Files.readString(Path.of("/proc", String.valueOf(node.pid()), "cmdline"))
            .replace('\0', ' ');
    String keystorePassword =
        Files.readAllLines(dir.resolve("base/conf/jmx-tls/ssl.properties")).stream()
            .filter(line -> line.startsWith("javax.net.ssl.keyStorePassword="))
            .map(line -> line.substring(line.indexOf('=') + 1))
            .findFirst()
            .orElseThrow();
    String key = Files.readString(dir.resolve("node.key"));
    String keyBody =
        key.lines().filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();

    assertThat(commandLine)
        .contains("-Dcom.sun.management.jmxremote.ssl=true")
        .doesNotContain(JMX_PASSWORD)
        .doesNotContain(keystorePassword)
        .doesNotContain(keyBody)
        .doesNotContainIgnoringCase("password=");
    assertThat(Files.getPosixFilePermissions(dir.resolve("base/conf/jmx-tls/ssl.properties")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  private static int get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String rawExchange(Socket socket) throws IOException {
    return rawExchange(socket, "GET /health/ready HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }

  /** Sends a request as bytes and reads until the node closes or 5 s pass. */
  private static String rawExchange(Socket socket, String request) throws IOException {
    try (socket) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      byte[] buffer = new byte[4096];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (IOException endOfAnswer) {
        // a timeout or a reset once the node has said what it says
      }
      return answer.toString();
    }
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca", certificate);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static void openssl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("openssl %s: %s", arguments[0], said).isZero();
  }

  /** Runs a command with no input and returns what it said on stdout and stderr. */
  private static String run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command[0]).isTrue();
    return said;
  }

  private static String log() throws IOException {
    return Files.readString(dir.resolve("run.log"));
  }
}
