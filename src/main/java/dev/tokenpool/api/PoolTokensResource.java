package dev.tokenpool.api;

import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.tokens.WaitingRoom;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Every route of {@code /api/tokens}, for the pool its path names: the methods are {@link
 * TokensResource}'s, whose {@code pool} path parameter is bound here.
 */
@Path("/api/pools/{pool}/tokens")
@Produces(MediaType.APPLICATION_JSON)
public final class PoolTokensResource extends TokensResource {

  public PoolTokensResource(PoolDirectory pools, WaitingRoom waitingRoom, AuditLog audit) {
    super(pools, waitingRoom, audit);
  }
}
