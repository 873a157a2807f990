package dev.tokenpool.api;

import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.pools.PoolHandle;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.tokens.Activation;
import dev.tokenpool.tokens.ActivationOptions;
import dev.tokenpool.tokens.OnFull;
import dev.tokenpool.tokens.Page;
import dev.tokenpool.tokens.PoolIds;
import dev.tokenpool.tokens.ReleasedUsage;
import dev.tokenpool.tokens.TokenDetails;
import dev.tokenpool.tokens.TokenFilter;
import dev.tokenpool.tokens.TokenHistory;
import dev.tokenpool.tokens.TokenListing;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.TokenView;
import dev.tokenpool.tokens.WaitingRoom;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The token API, for authenticated clients only ({@link ClientAuthFilter}). A holder acts as its
 * own user and sees no other user's id; a service names the users it acts for; an operator may also
 * release any holding and clear the pool, each such act written to the audit log.
 *
 * <p>{@code /api/tokens} serves the pool named {@code default}; {@link PoolTokensResource} serves
 * the same routes for every pool at {@code /api/pools/{pool}/tokens}, through these very methods
 * (their {@code pool} parameter is null here). A client limited to some pools gets 403 for others.
 *
 * <p>One root resource for all of {@code /api/tokens}, because JAX-RS matches root paths before
 * methods: a separate {@code /api/tokens/{tokenId}} class would capture {@code DELETE
 * /api/tokens/active} and answer 405.
 */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {

  /** Tokens or usages per page when the client asks for no limit. */
  static final int DEFAULT_LIMIT = 100;

  private final PoolDirectory pools;
  private final WaitingRoom waitingRoom;
  private final AuditLog audit;

  public TokensResource(PoolDirectory pools, WaitingRoom waitingRoom, AuditLog audit) {
    this.pools = pools;
    this.waitingRoom = waitingRoom;
    this.audit = audit;
  }

  /** The pool a request names (the default pool for none), if the client may use it. */
  private PoolHandle pool(Client client, String name) {
    String named = name == null ? PoolIds.DEFAULT_NAME : name;
    // Refused before the pool is looked up: a client learns nothing of other pools, not even
    // whether they exist.
    if (!client.mayUse(named)) {
      throw new NotPermittedException(
          "This client may use the pools " + client.pools() + " only, not " + named);
    }
    return pools.resolve(named);
  }

  @GET
  public TokenListResponse list(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Client client = ClientSecurityContext.clientOf(security);
    TokenFilter filter = RequestParameters.state(state);
    long position = RequestParameters.position(after, 0);
    int max = RequestParameters.limit(limit, DEFAULT_LIMIT);
    TokenService tokens = pool(client, poolName).tokens();
    if (client.role() == ClientRole.HOLDER) {
      return ownListing(tokens, client, filter);
    }
    TokenListing listing = tokens.list(filter, position, max);
    return new TokenListResponse(
        listing.page().items().stream().map(TokenResponse::of).toList(),
        listing.activeCount(),
        listing.availableCount(),
        listing.page().nextAfter().map(RequestParameters::cursor).orElse(null));
  }

  /** What a holder sees of the pool: the counts, and its own holding if the filter shows it. */
  private static TokenListResponse ownListing(
      TokenService tokens, Client holder, TokenFilter filter) {
    Optional<TokenView> own =
        filter == TokenFilter.AVAILABLE ? Optional.empty() : tokens.holding(holder.name());
    var counts = tokens.counts();
    return new TokenListResponse(
        own.map(TokenResponse::of).map(List::of).orElse(List.of()),
        counts.active(),
        counts.available(),
        null);
  }

  @POST
  @Path("/activate")
  @Consumes(MediaType.APPLICATION_JSON)
  public CompletionStage<ActivationResponse> activate(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      ActivationRequest request) {
    Client client = ClientSecurityContext.clientOf(security);
    String named = request == null ? null : request.userId();
    String userId;
    if (client.role().mayNameAnyUser()) {
      if (request == null) {
        throw new InvalidRequestException("body", "a JSON object with user_id is required");
      }
      userId = RequestParameters.userId("user_id", named);
    } else {
      userId = client.name();
      if (named != null && !named.equals(userId)) {
        throw new NotPermittedException(
            "A holder activates for itself only: user_id must be absent or your own ("
                + ClientRole.SERVICE.scope()
                + " may name other users)");
      }
    }
    AskedOptions asked = AskedOptions.of(request);
    PoolHandle pool = pool(client, poolName);
    ActivationOptions options = options(pool, asked);
    if (options.onFull() == OnFull.WAIT) {
      // Completed later by the waiting room, unless a token was free: Jersey answers a completed
      // stage at once, on this thread, and suspends the request (no thread held) otherwise.
      CompletableFuture<ActivationResponse> answer = new CompletableFuture<>();
      waitingRoom
          .activate(pool.tokens(), userId, options.lease(), options.waitFor())
          .whenComplete(
              (activation, failure) -> {
                if (failure == null) {
                  answer.complete(response(client, activation));
                } else {
                  // The refusal itself, so that its problem mapper answers (not a wrapper's).
                  answer.completeExceptionally(
                      failure instanceof CompletionException wrapped && wrapped.getCause() != null
                          ? wrapped.getCause()
                          : failure);
                }
              });
      return answer;
    }
    return CompletableFuture.completedFuture(
        response(client, pool.tokens().activate(userId, options)));
  }

  private static ActivationResponse response(Client client, Activation activation) {
    if (client.role() == ClientRole.HOLDER && activation.evictedUserId() != null) {
      // A holder learns that someone lost a token to it, never who.
      return ActivationResponse.of(activation).withoutEvictedUser();
    }
    return ActivationResponse.of(activation);
  }

  /** The options an activation's body names, each checked on its own. */
  private record AskedOptions(
      Optional<Duration> lease, Optional<OnFull> onFull, Optional<Duration> waitFor) {
    static AskedOptions of(ActivationRequest request) {
      if (request == null) {
        return new AskedOptions(Optional.empty(), Optional.empty(), Optional.empty());
      }
      return new AskedOptions(
          RequestParameters.duration("lease", request.lease()),
          Optional.ofNullable(request.onFull()).map(RequestParameters::onFull),
          RequestParameters.duration("wait", request.waitFor()));
    }
  }

  /** The activation's options: what its body names, the pool's defaults for what it leaves out. */
  private ActivationOptions options(PoolHandle pool, AskedOptions asked) {
    OnFull onFull = asked.onFull().orElse(pool.definition().onFullDefault());
    Optional<Duration> wait = asked.waitFor();
    if (wait.isPresent() && onFull != OnFull.WAIT) {
      throw new InvalidRequestException("wait", "is only taken with \"on_full\": \"wait\"");
    }
    if (wait.isPresent() && wait.get().compareTo(waitingRoom.maxWait()) > 0) {
      throw new InvalidRequestException(
          "wait",
          wait.get()
              + " is longer than the longest wait this pool allows, "
              + waitingRoom.maxWait()
              + " (TOKENPOOL_MAX_WAIT)");
    }
    return new ActivationOptions(asked.lease(), onFull, wait);
  }

  @DELETE
  @Path("/active")
  public ClearResponse clearActive(
      @Context SecurityContext security, @PathParam("pool") String poolName) {
    Client client = ClientSecurityContext.clientOf(security);
    requireOperator(client, "Only an operator clears the pool");
    PoolHandle pool = pool(client, poolName);
    int cleared = pool.tokens().clearActive(client.name());
    audit.record(
        "tokens-clear", client.name(), client.via(), "pool", pool.name(), "cleared", cleared);
    return ClearResponse.of(cleared);
  }

  @GET
  @Path("/{tokenId}")
  public TokenDetailsResponse get(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      @PathParam("tokenId") String tokenId) {
    Client client = ClientSecurityContext.clientOf(security);
    UUID id = RequestParameters.uuid("token_id", tokenId);
    TokenDetails details = pool(client, poolName).tokens().get(id);
    TokenDetailsResponse response = TokenDetailsResponse.of(details);
    return client.role() == ClientRole.HOLDER
            && !Objects.equals(client.name(), response.currentUserId())
        ? response.withoutHolder()
        : response;
  }

  @GET
  @Path("/{tokenId}/history")
  public HistoryResponse history(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      @PathParam("tokenId") String tokenId,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Client client = ClientSecurityContext.clientOf(security);
    UUID id = RequestParameters.uuid("token_id", tokenId);
    Optional<String> onlyUser =
        client.role() == ClientRole.HOLDER ? Optional.of(client.name()) : Optional.empty();
    long before = RequestParameters.position(after, Long.MAX_VALUE);
    int max = RequestParameters.limit(limit, DEFAULT_LIMIT);
    PoolHandle pool = pool(client, poolName);
    TokenHistory history = pool.tokens().history(id, onlyUser, before, max);
    Page<?> page = history.page();
    return new HistoryResponse(
        history.tokenId(),
        history.page().items().stream()
            .map(usage -> UsageResponse.of(usage, poolId -> pool.name()))
            .toList(),
        page.nextAfter().map(RequestParameters::cursor).orElse(null));
  }

  /**
   * Ends a holding. A holder releases its own; a service names the user whose holding it ends (and
   * nothing happens unless that user holds the token); an operator may release any holding.
   */
  @POST
  @Path("/{tokenId}/release")
  public ReleaseResponse release(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      @PathParam("tokenId") String tokenId,
      ReleaseRequest request) {
    Client client = ClientSecurityContext.clientOf(security);
    UUID id = RequestParameters.uuid("token_id", tokenId);
    Optional<String> named =
        request == null || request.userId() == null
            ? Optional.empty()
            : Optional.of(RequestParameters.userId("user_id", request.userId()));
    Optional<String> holder =
        switch (client.role()) {
          case HOLDER -> {
            if (named.isPresent() && !named.get().equals(client.name())) {
              throw new NotPermittedException("A holder releases its own holding only");
            }
            yield Optional.of(client.name());
          }
          case SERVICE -> {
            if (named.isEmpty()) {
              throw new NotPermittedException(
                  "A service releases a holding by naming its user: {\"user_id\": \"...\"}"
                      + " (only "
                      + ClientRole.OPERATOR.scope()
                      + " releases any holding)");
            }
            yield named;
          }
          case OPERATOR -> named;
        };
    Optional<Long> fence =
        request == null || request.fence() == null
            ? Optional.empty()
            : Optional.of(RequestParameters.fence("fence", request.fence()));
    ReleasedUsage released =
        pool(client, poolName).tokens().release(id, holder, fence, client.name());
    if (client.role() == ClientRole.OPERATOR && !client.name().equals(released.userId())) {
      audit.record(
          "tokens-release", client.name(), client.via(), "token", id, "user", released.userId());
    }
    return ReleaseResponse.of(released);
  }

  /**
   * Extends a holding named by its fence. A holder renews its own holdings only; a service or an
   * operator any holding, by its fence.
   */
  @POST
  @Path("/{tokenId}/renew")
  @Consumes(MediaType.APPLICATION_JSON)
  public RenewResponse renew(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      @PathParam("tokenId") String tokenId,
      RenewRequest request) {
    Client client = ClientSecurityContext.clientOf(security);
    UUID id = RequestParameters.uuid("token_id", tokenId);
    if (request == null) {
      throw new InvalidRequestException("body", "a JSON object with fence is required");
    }
    long fence = RequestParameters.fence("fence", request.fence());
    Optional<Duration> lease = RequestParameters.duration("lease", request.lease());
    Optional<String> holder =
        client.role() == ClientRole.HOLDER ? Optional.of(client.name()) : Optional.empty();
    return RenewResponse.of(pool(client, poolName).tokens().renew(id, fence, lease, holder));
  }

  /**
   * Whether a fence is the token's current holding, for a resource that cannot keep fences. A
   * holder learns only that of another user's holding.
   */
  @GET
  @Path("/{tokenId}/fences/{fence}")
  public FenceResponse fence(
      @Context SecurityContext security,
      @PathParam("pool") String poolName,
      @PathParam("tokenId") String tokenId,
      @PathParam("fence") String fence) {
    Client client = ClientSecurityContext.clientOf(security);
    UUID id = RequestParameters.uuid("token_id", tokenId);
    long asked = RequestParameters.fence("fence", fence);
    FenceResponse status = FenceResponse.of(pool(client, poolName).tokens().fence(id, asked));
    return client.role() == ClientRole.HOLDER && !client.name().equals(status.userId())
        ? status.currentOnly()
        : status;
  }

  private static void requireOperator(Client client, String reason) {
    if (client.role() != ClientRole.OPERATOR) {
      throw new NotPermittedException(reason + " (scope " + ClientRole.OPERATOR.scope() + ")");
    }
  }
}
