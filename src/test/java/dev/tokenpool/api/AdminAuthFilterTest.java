package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may use what under {@code /api/admin}: docs/api.md, "Authentication". The probe resource
 * there is guarded by {@link AdminAuthFilter}'s path rule alone, as any admin path is.
 */
final class AdminAuthFilterTest {

  private static final InMemoryApi api = InMemoryApi.start();
  private static final String PROBE = "/api/admin/probe";
  private static final String CHALLENGE = "Basic realm=\"tokenpool-admin\", charset=\"UTF-8\"";
  private static final String REQUESTED_WITH = "X-Requested-With";

  private static void assertUnauthorized(ApiReply reply, String instance) {
    assertProblem(
        reply,
        401,
        "unauthorized",
        "Unauthorized",
        "Operator credentials are required (HTTP Basic, the console's session, or a bearer token"
            + " with the operator scope)",
        instance);
    assertThat(reply.header(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo(CHALLENGE);
  }

  private static void assertForbidden(ApiReply reply, String detail) {
    assertProblem(reply, 403, "forbidden", "Forbidden", detail, PROBE);
  }

  @Nested
  final class Authentication {

    @Test
    void noCredentialsGet401WithTheChallenge() {
      assertUnauthorized(api.get(PROBE).send(), PROBE);
    }

    @Test
    void aWrongPasswordGets401() {
      assertUnauthorized(api.get(PROBE).basicAuth("admin", "admin-password-2").send(), PROBE);
    }

    @Test
    void anotherUsersPasswordGets401() {
      ApiReply reply =
          api.get(PROBE).basicAuth(InMemoryApi.MONITOR, InMemoryApi.ADMIN_PASSWORD).send();

      assertUnauthorized(reply, PROBE);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Basic not-base64!",
          "Basic YWRtaW4tcGFzc3dvcmQtMQ==", // "admin-password-1": no user, no colon
          "Basic ",
          "YWRtaW46YWRtaW4tcGFzc3dvcmQtMQ=="
        })
    void aMalformedAuthorizationGets401(String authorization) {
      ApiReply reply = api.get(PROBE).header(HttpHeaders.AUTHORIZATION, authorization).send();

      assertUnauthorized(reply, PROBE);
    }

    @Test
    void aBearerCredentialThatIsNoKeyOrTokenGets401InvalidToken() {
      ApiReply reply =
          api.get(PROBE)
              .header(HttpHeaders.AUTHORIZATION, "Bearer YWRtaW46YWRtaW4tcGFzc3dvcmQtMQ==")
              .send();

      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.json().path("type").asText()).endsWith("/invalid-token");
      assertThat(reply.header(HttpHeaders.WWW_AUTHENTICATE)).contains("error=\"invalid_token\"");
    }

    @Test
    void anUnknownAdminPathGets401WithoutCredentialsAnd404WithThem() {
      String path = "/api/admin/nowhere";

      assertUnauthorized(api.get(path).send(), path);
      assertProblem(
          api.get(path).asAdmin().send(),
          404,
          "not-found",
          "Not Found",
          "No resource at this path",
          path);
    }

    /** Matrix parameters: Jersey routes these to the probe, yet none begins "/api/admin/". */
    @ParameterizedTest
    @ValueSource(strings = {"/api/admin;x=1/probe", "/api;x=1/admin/probe", "/api/admin;/probe"})
    void pathsWithMatrixParametersNeedCredentialsToo(String path) {
      assertUnauthorized(api.get(path).send(), path);
      assertThat(api.get(path).asMonitor().send().status())
          .as("the spelling reaches the probe with credentials")
          .isEqualTo(200);
    }

    /** Jersey does not route it, but the filter reads decoded segments and still guards it. */
    @Test
    void anEncodedSlashIsReadAsOneToo() {
      assertUnauthorized(api.get("/api/admin%2Fprobe").send(), "/api/admin%2Fprobe");
    }

    @Test
    void pathsOutsideTheAdminApiNeedNoCredentials() {
      ApiReply reply = api.get("/api/tokens/nope").asService().send();

      assertThat(reply.status()).isEqualTo(400);
    }
  }

  @Nested
  final class Monitor {

    @Test
    void mayRead() {
      ApiReply reply = api.get(PROBE).asMonitor().send();

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().path("probe").asText()).isEqualTo("read");
    }

    @Test
    void mayAskForHeaders() {
      assertThat(api.request("HEAD", PROBE).asMonitor().send().status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "OPTIONS"})
    void mayNotUseAnotherMethod(String method) {
      ApiReply reply = api.request(method, PROBE).asMonitor().header(REQUESTED_WITH, "test").send();

      assertForbidden(reply, "This login may only read; changes need the admin login");
    }
  }

  /** Admin changes that a form on another site could send are refused: CrossSiteRequestGuard. */
  @Nested
  final class AdminChanges {

    @Test
    void withXRequestedWithReachTheResource() {
      ApiReply reply = api.post(PROBE).asAdmin().header(REQUESTED_WITH, "curl").send();

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().path("probe").asText()).isEqualTo("changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8"})
    void withAJsonContentTypeReachTheResource(String contentType) {
      ApiReply reply = api.post(PROBE).asAdmin().body(contentType, new byte[0]).send();

      assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void withNeitherAreForbidden() {
      ApiReply reply = api.post(PROBE).asAdmin().send();

      assertForbidden(
          reply,
          "Admin changes need Content-Type: application/json or an X-Requested-With header,"
              + " which a form on another site cannot send");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          MediaType.APPLICATION_FORM_URLENCODED,
          MediaType.MULTIPART_FORM_DATA,
          MediaType.TEXT_PLAIN,
          "application/*",
          "not a media type"
        })
    void withAnotherContentTypeAre415(String contentType) {
      ApiReply reply = api.post(PROBE).asAdmin().body(contentType, "a=b".getBytes(UTF_8)).send();

      assertProblem(
          reply,
          415,
          "unsupported-media-type",
          "Unsupported Media Type",
          "Admin changes take Content-Type: application/json",
          PROBE);
    }

    @Test
    void withABlankXRequestedWithAreForbidden() {
      ApiReply reply = api.post(PROBE).asAdmin().header(REQUESTED_WITH, " ").send();

      assertThat(reply.status()).isEqualTo(403);
    }
  }
}
