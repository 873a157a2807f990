package dev.tokenpool.api;

import dev.tokenpool.tokens.TokenHistory;
import dev.tokenpool.tokens.TokenListing;
import dev.tokenpool.tokens.TokenService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * The token API. One root resource for all of {@code /api/tokens}, because JAX-RS matches root
 * paths before methods: a separate {@code /api/tokens/{tokenId}} class would capture {@code DELETE
 * /api/tokens/active} and answer 405.
 */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
public final class TokensResource {

  /** Tokens or usages per page when the client asks for no limit. */
  static final int DEFAULT_LIMIT = 100;

  private final TokenService tokens;

  public TokensResource(TokenService tokens) {
    this.tokens = tokens;
  }

  @GET
  public TokenListResponse list(
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    TokenListing listing =
        tokens.list(
            RequestParameters.state(state),
            RequestParameters.position(after, 0),
            RequestParameters.limit(limit, DEFAULT_LIMIT));
    return new TokenListResponse(
        listing.page().items().stream().map(TokenResponse::of).toList(),
        listing.activeCount(),
        listing.availableCount(),
        listing.page().nextAfter().map(RequestParameters::cursor).orElse(null));
  }

  @POST
  @Path("/activate")
  @Consumes(MediaType.APPLICATION_JSON)
  public ActivationResponse activate(ActivationRequest request) {
    if (request == null) {
      throw new InvalidRequestException("body", "a JSON object with user_id is required");
    }
    UUID userId = RequestParameters.uuid("user_id", request.userId());
    return ActivationResponse.of(tokens.activate(userId));
  }

  @DELETE
  @Path("/active")
  public ClearResponse clearActive() {
    return ClearResponse.of(tokens.clearActive());
  }

  @GET
  @Path("/{tokenId}")
  public TokenDetailsResponse get(@PathParam("tokenId") String tokenId) {
    return TokenDetailsResponse.of(tokens.get(RequestParameters.uuid("token_id", tokenId)));
  }

  @GET
  @Path("/{tokenId}/history")
  public HistoryResponse history(
      @PathParam("tokenId") String tokenId,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    UUID id = RequestParameters.uuid("token_id", tokenId);
    TokenHistory history =
        tokens.history(
            id,
            RequestParameters.position(after, Long.MAX_VALUE),
            RequestParameters.limit(limit, DEFAULT_LIMIT));
    return new HistoryResponse(
        history.tokenId(),
        history.page().items().stream().map(UsageResponse::of).toList(),
        history.page().nextAfter().map(RequestParameters::cursor).orElse(null));
  }

  @POST
  @Path("/{tokenId}/release")
  public ReleaseResponse release(@PathParam("tokenId") String tokenId) {
    return ReleaseResponse.of(tokens.release(RequestParameters.uuid("token_id", tokenId)));
  }
}
