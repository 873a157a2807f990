package dev.tokenpool.api;

import dev.tokenpool.jobs.UnknownJobs;
import dev.tokenpool.persistence.DatabaseUnavailableException;
import dev.tokenpool.persistence.TransientConflictException;
import dev.tokenpool.tokens.TokenNotActiveException;
import dev.tokenpool.tokens.TokenNotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;

/** The resources {@link InMemoryApi} serves: small ones made to fail, and the real tokens one. */
final class TestResources {

  static final UUID TOKEN_ID = UUID.fromString("6548a762-cdc8-47a5-9fc5-01736c54a893");

  /** Internal text that a failure carries and that must never reach a client. */
  static final String SECRET = "jdbc:mysql://db.internal:3306/tokenpool";

  private TestResources() {}

  static void registerOn(ResourceConfig config) {
    // The real resource answers the body and path errors of its endpoints; every request the
    // tests send it is refused before the service, so it needs none.
    TokensResource tokens = new TokensResource(null, null, new dev.tokenpool.security.AuditLog());
    config.register(
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(tokens).to(TokensResource.class);
          }
        });
    config.register(TokensResource.class);
    config.register(Failures.class);
    config.register(JsonEcho.class);
    config.register(AdminProbe.class);
  }

  /** Throws each exception the problem mappers know, with internal text where one could leak. */
  @Path("/test/failures")
  @Produces(MediaType.APPLICATION_JSON)
  public static final class Failures {

    @GET
    @Path("/invalid-request")
    public String invalidRequest() {
      throw new InvalidRequestException("limit", "'0' must be a whole number from 1 to 1000");
    }

    @GET
    @Path("/token-not-found")
    public String tokenNotFound() {
      throw new TokenNotFoundException(TOKEN_ID);
    }

    @GET
    @Path("/token-not-active")
    public String tokenNotActive() {
      throw new TokenNotActiveException(TOKEN_ID);
    }

    @GET
    @Path("/unknown-job")
    public String unknownJob() {
      throw UnknownJobs.named("nope", Set.of("expire-tokens"));
    }

    @GET
    @Path("/busy")
    public String busy() {
      throw new TransientConflictException("Deadlock on " + SECRET);
    }

    @GET
    @Path("/unavailable")
    public String unavailable() {
      throw new DatabaseUnavailableException(
          new SQLTransientConnectionException("Connection refused: " + SECRET));
    }

    @GET
    @Path("/unexpected")
    public String unexpected() {
      throw new IllegalStateException("Broken invariant near " + SECRET);
    }

    /** Jackson cannot write this: its getter fails while the response is serialised. */
    public static final class Unwritable {
      public String getValue() {
        throw new IllegalStateException("no value near " + SECRET);
      }
    }

    @GET
    @Path("/unwritable")
    @Produces(MediaType.APPLICATION_JSON)
    public Unwritable unwritable() {
      return new Unwritable();
    }

    @GET
    @Path("/server-refusal")
    public String serverRefusal() {
      throw new InternalServerErrorException("Refused near " + SECRET);
    }
  }

  /** A JSON endpoint other than the activation, whose body errors must not mention user_id. */
  @Path("/test/echo")
  public static final class JsonEcho {

    /** Any JSON object of one field. */
    public record Greeting(String name) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Greeting echo(Greeting greeting) {
      return greeting;
    }
  }

  /**
   * Stands in for the admin API under {@code /api/admin}: {@link AdminAuthFilter} guards it by path
   * alone ({@link AdminResourceGuard} adds its lock to {@link AdminResource} only).
   */
  @Path("/api/admin/probe")
  @Produces(MediaType.APPLICATION_JSON)
  public static final class AdminProbe {

    @GET
    public Map<String, String> read() {
      return Map.of("probe", "read");
    }

    @POST
    public Map<String, String> change() {
      return Map.of("probe", "changed");
    }
  }
}
