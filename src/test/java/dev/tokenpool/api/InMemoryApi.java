package dev.tokenpool.api;

import dev.tokenpool.admin.Credentials;
import dev.tokenpool.config.OperatorLogins;
import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientAuthenticator;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.security.FailedLogins;
import dev.tokenpool.security.InvalidTokenException;
import dev.tokenpool.security.JwtVerifier;
import dev.tokenpool.security.RateLimit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The API served in memory, in the manner of Dropwizard's ResourceTestRule: production's providers
 * and settings ({@link ApiApplication#registerProviders}) around {@link TestResources}, with
 * requests handed straight to Jersey: no HTTP, no servlet container, no database.
 */
final class InMemoryApi {

  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD = "admin-password-1";
  static final String MONITOR = "monitor";
  static final String MONITOR_PASSWORD = "monitor-password-1";
  static final Credentials CREDENTIALS =
      Credentials.from(
          new OperatorLogins(
              ADMIN,
              Optional.of(ADMIN_PASSWORD),
              MONITOR,
              Optional.of(MONITOR_PASSWORD),
              Path.of("unused-admin-password")));

  /** API keys the in-memory API knows, one per role; the holder's acts as user "alice". */
  static final String HOLDER_KEY = ApiKeys.PREFIX + "holder-test-key";

  static final String SERVICE_KEY = ApiKeys.PREFIX + "service-test-key";
  static final String OPERATOR_KEY = ApiKeys.PREFIX + "operator-test-key";
  static final String HOLDER = "alice";

  private static final URI BASE = URI.create("http://localhost/");

  /**
   * The production security objects over a fixed set of keys (the key store itself is tested on
   * real databases), with a generous failed-login limit unless a test asks for a tight one.
   */
  static ApiSecurity security(Optional<JwtVerifier> jwt, int failedLoginLimit, int rate) {
    Map<String, Client> keys =
        Map.of(
            HOLDER_KEY, new Client(HOLDER, ClientRole.HOLDER, "api-key:holder"),
            SERVICE_KEY, new Client("billing", ClientRole.SERVICE, "api-key:service"),
            OPERATOR_KEY, new Client("ops", ClientRole.OPERATOR, "api-key:operator"));
    return new ApiSecurity(
        CREDENTIALS,
        new ClientAuthenticator(
            key -> {
              Client client = keys.get(key);
              if (client == null) {
                throw new InvalidTokenException("Unknown or revoked API key");
              }
              return client;
            },
            jwt),
        Optional.empty(),
        new FailedLogins(failedLoginLimit, System::nanoTime),
        new RateLimit(rate, rate, System::nanoTime),
        new AuditLog());
  }

  static ApiSecurity security() {
    return security(Optional.empty(), 1_000, 1_000);
  }

  private final ApplicationHandler handler;
  private final MeterRegistry registry;

  private InMemoryApi(ResourceConfig config, MeterRegistry registry) {
    this.handler = new ApplicationHandler(config);
    this.registry = registry;
  }

  /** Production's providers around the test resources. */
  static InMemoryApi start() {
    return start(security());
  }

  /** Production's providers around the test resources, with these security objects. */
  static InMemoryApi start(ApiSecurity security) {
    MeterRegistry registry = new SimpleMeterRegistry();
    ResourceConfig config = new ResourceConfig();
    ApiApplication.registerProviders(config, security, registry);
    TestResources.registerOn(config);
    return new InMemoryApi(config, registry);
  }

  /** Exactly the given application, for tests of one part on its own. */
  static InMemoryApi serving(ResourceConfig config) {
    return new InMemoryApi(config, new SimpleMeterRegistry());
  }

  /** Where production's HTTP metrics go; only {@link #start()} wires them. */
  MeterRegistry registry() {
    return registry;
  }

  Request request(String method, String path) {
    return new Request(method, path);
  }

  Request get(String path) {
    return request("GET", path);
  }

  Request post(String path) {
    return request("POST", path);
  }

  /** One request, built up and then {@link #send() sent}. */
  final class Request {

    private final String method;
    private final String path;
    private final MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
    private byte[] body;

    private Request(String method, String path) {
      this.method = method;
      this.path = path;
    }

    Request header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    Request basicAuth(String user, String password) {
      String login = user + ":" + password;
      return header(
          HttpHeaders.AUTHORIZATION,
          "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
    }

    Request asAdmin() {
      return basicAuth(ADMIN, ADMIN_PASSWORD);
    }

    Request asMonitor() {
      return basicAuth(MONITOR, MONITOR_PASSWORD);
    }

    Request bearer(String credential) {
      return header(HttpHeaders.AUTHORIZATION, "Bearer " + credential);
    }

    Request asHolder() {
      return bearer(HOLDER_KEY);
    }

    Request asService() {
      return bearer(SERVICE_KEY);
    }

    Request asOperator() {
      return bearer(OPERATOR_KEY);
    }

    /** A body without Content-Length, as a chunked one arrives. */
    Request body(String contentType, byte[] bytes) {
      this.body = bytes.clone();
      return header(HttpHeaders.CONTENT_TYPE, contentType);
    }

    Request json(String json) {
      return body(MediaType.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    ApiReply send() {
      ContainerRequest request =
          new ContainerRequest(
              BASE,
              BASE.resolve(path),
              method,
              null,
              new MapPropertiesDelegate(),
              handler.getConfiguration());
      request.headers(headers);
      if (body != null) {
        request.setEntityStream(new ByteArrayInputStream(body));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ContainerResponse response = handler.apply(request, out).get(10, TimeUnit.SECONDS);
        return ApiReply.of(response.getStatus(), response.getStringHeaders(), out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + method + " " + path, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("No response to " + method + " " + path, e);
      }
    }
  }
}
