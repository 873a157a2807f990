package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The second lock on its own: {@link AdminResourceGuard} without {@link AdminAuthFilter} in front,
 * so that only the guard can refuse. It locks {@link AdminResource}, after routing; every request
 * here is refused before the resource would need its (absent) job platform.
 */
final class AdminResourceGuardTest {

  private static final InMemoryApi api = InMemoryApi.serving(guardAlone());

  private static ResourceConfig guardAlone() {
    ResourceConfig config = new ResourceConfig();
    config.register(JacksonFeature.withoutExceptionMappers());
    config.register(new ApiObjectMapper());
    ApiSecurity security = InMemoryApi.security();
    config.register(
        new AdminResourceGuard(
            new OperatorAuthentication(
                security.credentials(),
                security.clients(),
                security.sessions(),
                new LoginGuard(security.failedLogins(), security.audit()))));
    ProblemMappers.all().forEach(config::register);
    AdminResource admin =
        new AdminResource(
            null, null, null, null, null, null, null, null, null, null, null, Optional.empty());
    config.register(
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(admin).to(AdminResource.class);
          }
        });
    config.register(AdminResource.class);
    return config;
  }

  @Test
  void refusesARequestWithoutCredentials() {
    ApiReply reply = api.get("/api/admin/jobs").send();

    assertProblem(
        reply,
        401,
        "unauthorized",
        "Unauthorized",
        "Operator credentials are required (HTTP Basic, the console's session, or a bearer token"
            + " with the operator scope)",
        "/api/admin/jobs");
    assertThat(reply.header(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic realm=");
  }

  @Test
  void refusesAChangeByTheMonitor() {
    String path = "/api/admin/jobs/expire-tokens/pause";
    ApiReply reply = api.post(path).asMonitor().header("X-Requested-With", "test").send();

    assertProblem(
        reply,
        403,
        "forbidden",
        "Forbidden",
        "This login may only read; changes need the admin login",
        path);
  }

  @Test
  void refusesAnAdminChangeThatAFormOnAnotherSiteCouldSend() {
    ApiReply reply = api.post("/api/admin/expire-now").asAdmin().send();

    assertThat(reply.status()).isEqualTo(403);
  }
}
