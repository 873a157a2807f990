package dev.tokenpool.api;

import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.tokens.Page;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.UsageView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * A user's holdings across tokens and pools, newest first: "why did I lose my token". A holder
 * reads its own; a service or an operator anyone's. A client limited to some pools sees the
 * holdings of those pools only (a page may then hold fewer than its limit; {@code next} goes on).
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public final class UsersResource {

  private final TokenService tokens;
  private final PoolDirectory pools;

  public UsersResource(TokenService tokens, PoolDirectory pools) {
    this.tokens = tokens;
    this.pools = pools;
  }

  @GET
  @Path("/{userId}/usages")
  public UserUsagesResponse usages(
      @Context SecurityContext security,
      @PathParam("userId") String userId,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Client client = ClientSecurityContext.clientOf(security);
    String user = RequestParameters.userId("user_id", userId);
    if (client.role() == ClientRole.HOLDER && !client.name().equals(user)) {
      throw new NotPermittedException("A holder reads its own holdings only");
    }
    Page<UsageView> page =
        tokens.userHistory(
            user,
            RequestParameters.position(after, Long.MAX_VALUE),
            RequestParameters.limit(limit, TokensResource.DEFAULT_LIMIT));
    return new UserUsagesResponse(
        user,
        page.items().stream()
            .map(usage -> UsageResponse.of(usage, pools::nameOf))
            .filter(usage -> client.mayUse(usage.pool()))
            .toList(),
        page.nextAfter().map(RequestParameters::cursor).orElse(null));
  }
}
