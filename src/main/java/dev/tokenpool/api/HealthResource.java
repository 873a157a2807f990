package dev.tokenpool.api;

import dev.tokenpool.admin.HealthCheck;
import dev.tokenpool.admin.HealthCheck.Health;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}: 200 when every check passes, 503 otherwise, with the checks for an operator
 * and the status alone for anyone else; {@code GET /health/ready}: the same for the database check
 * alone (and 503 while the node drains), anonymous, and saying nothing but up or down (load
 * balancers need no more); {@code GET /health/live}: 200 while the application serves.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

  private final HealthCheck health;

  public HealthResource(HealthCheck health) {
    this.health = health;
  }

  @GET
  public Response get(@Context SecurityContext security) {
    Health current = health.current();
    if (security.getUserPrincipal() == null) {
      return statusOnly(current.up());
    }
    return answer(current.up(), current, current.checks());
  }

  /**
   * {@code GET /health/ready}: whether this node can serve requests (its database answers), for
   * load balancers; the cluster's job checks stay in {@code /health}, for monitoring.
   */
  @GET
  @Path("/ready")
  public Response ready() {
    return statusOnly(health.readiness().up());
  }

  /**
   * {@code GET /health/live}: whether this node's application serves at all, for a platform that
   * restarts a node that stopped answering (Kubernetes' liveness probe). It reads nothing: a
   * database outage or a drain makes a node unready, never dead.
   */
  @GET
  @Path("/live")
  public Response live() {
    return statusOnly(true);
  }

  private static Response statusOnly(boolean up) {
    return Response.status(up ? 200 : 503)
        .entity(Map.of("status", up ? "UP" : "DOWN"))
        .cacheControl(noStore())
        .build();
  }

  private static CacheControl noStore() {
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return noStore;
  }

  private static Response answer(boolean up, Health current, Map<String, HealthCheck.Check> shown) {
    Map<String, Object> checks = new LinkedHashMap<>();
    shown.forEach(
        (name, check) ->
            checks.put(
                name, Map.of("status", check.up() ? "UP" : "DOWN", "detail", check.detail())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("node_id", current.nodeId());
    body.put("checks", checks);
    return Response.status(up ? 200 : 503).entity(body).cacheControl(noStore()).build();
  }
}
