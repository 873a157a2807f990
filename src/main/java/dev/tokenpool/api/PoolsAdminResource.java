package dev.tokenpool.api;

import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.pools.PoolChange;
import dev.tokenpool.pools.PoolPage;
import dev.tokenpool.pools.PoolSpec;
import dev.tokenpool.tokens.OnFull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Optional;

/**
 * The pools, for operators: {@code /api/admin/pools}. Reads for monitors and admins, changes for
 * admins ({@link AdminAuthFilter}); an operator limited to some pools sees and changes those only.
 */
@Path("/api/admin/pools")
@Produces(MediaType.APPLICATION_JSON)
public final class PoolsAdminResource {

  static final int DEFAULT_LIMIT = 100;

  private final PoolCatalogue pools;
  private final PoolSettings defaults;

  public PoolsAdminResource(PoolCatalogue pools, PoolSettings defaults) {
    this.pools = pools;
    this.defaults = defaults;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(
      @Context SecurityContext security, @Context UriInfo uri, PoolRequest request) {
    Operator operator = OperatorSecurityContext.operatorOf(security);
    if (request == null) {
      throw new InvalidRequestException("body", "a JSON object with name and size is required");
    }
    requirePool(operator, PoolSpec.requireName(request.name()));
    if (request.size() == null) {
      throw new InvalidRequestException("size", "is required");
    }
    // What the request leaves out follows the node's settings, raised to what it does give, so
    // that a long lease_default alone never fails on a lease_max it did not send.
    Duration leaseDefault =
        RequestParameters.duration("lease_default", request.leaseDefault())
            .orElse(defaults.tokenLifetime());
    Duration leaseMax =
        RequestParameters.duration("lease_max", request.leaseMax())
            .orElse(longer(defaults.leaseMax(), leaseDefault));
    Duration maxHold =
        RequestParameters.duration("max_hold", request.maxHold())
            .orElse(longer(defaults.maxHold(), leaseMax));
    PoolSpec spec =
        new PoolSpec(
            request.name(),
            size(request.size()),
            leaseDefault,
            leaseMax,
            maxHold,
            onFull(request.onFullDefault()).orElse(OnFull.EVICT));
    NamedPoolResponse created = NamedPoolResponse.of(pools.create(spec, operator.name()));
    return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build())
        .entity(created)
        .build();
  }

  @GET
  public PoolsResponse list(
      @Context SecurityContext security,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Operator operator = OperatorSecurityContext.operatorOf(security);
    String from = after == null || after.isEmpty() ? "" : PoolSpec.requireName(after);
    // A limited operator's page holds its pools alone, and so do the count and the cursor.
    PoolPage page =
        pools.list(from, RequestParameters.limit(limit, DEFAULT_LIMIT), operator.pools());
    return new PoolsResponse(
        page.pools().stream().map(NamedPoolResponse::of).toList(),
        page.total(),
        page.nextAfter().orElse(null));
  }

  @GET
  @Path("/{name}")
  public NamedPoolResponse get(@Context SecurityContext security, @PathParam("name") String name) {
    requirePool(OperatorSecurityContext.operatorOf(security), name);
    return NamedPoolResponse.of(pools.get(name));
  }

  @PATCH
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public NamedPoolResponse change(
      @Context SecurityContext security, @PathParam("name") String name, PoolRequest request) {
    Operator operator = OperatorSecurityContext.operatorOf(security);
    requirePool(operator, name);
    if (request == null) {
      throw new InvalidRequestException("body", "a JSON object with the settings to change");
    }
    if (request.name() != null && !request.name().equals(name)) {
      throw new InvalidRequestException("name", "cannot change: create a pool with the new name");
    }
    PoolChange change =
        new PoolChange(
            request.size() == null ? Optional.empty() : Optional.of(size(request.size())),
            RequestParameters.duration("lease_default", request.leaseDefault()),
            RequestParameters.duration("lease_max", request.leaseMax()),
            RequestParameters.duration("max_hold", request.maxHold()),
            onFull(request.onFullDefault()));
    return NamedPoolResponse.of(pools.change(name, change, operator.name()));
  }

  @DELETE
  @Path("/{name}")
  public PoolDeletedResponse delete(
      @Context SecurityContext security,
      @PathParam("name") String name,
      @QueryParam("drain") String drain) {
    Operator operator = OperatorSecurityContext.operatorOf(security);
    requirePool(operator, name);
    boolean draining =
        switch (drain == null ? "false" : drain) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new InvalidRequestException("drain", "must be true or false");
        };
    return new PoolDeletedResponse(name, true, pools.delete(name, draining, operator.name()));
  }

  private static void requirePool(Operator operator, String name) {
    if (!operator.mayUse(name)) {
      throw new NotPermittedException(
          "This operator may manage the pools " + operator.pools() + " only, not " + name);
    }
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static int size(Object size) {
    if (size instanceof Integer value) {
      return value;
    }
    throw new InvalidRequestException(
        "size", "must be a whole number from 0 to " + PoolSettings.MAX_POOL_SIZE);
  }

  private static Optional<OnFull> onFull(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(RequestParameters.onFull(value));
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(
          "on_full_default", "'" + value + "' is not one of evict, fail, wait");
    }
  }
}
