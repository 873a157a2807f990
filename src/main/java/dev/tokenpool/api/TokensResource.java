package dev.tokenpool.api;

import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.tokens.Activation;
import dev.tokenpool.tokens.ActivationOptions;
import dev.tokenpool.tokens.OnFull;
import dev.tokenpool.tokens.Page;
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
 * <p>One root resource for all of {@code /api/tokens}, because JAX-RS matches root paths before
 * methods: a separate {@code /api/tokens/{tokenId}} class would capture {@code DELETE
 * /api/tokens/active} and answer 405.
 */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
public final class TokensResource {

  /** Tokens or usages per page when the client asks for no limit. */
  static final int DEFAULT_LIMIT = 100;

  private final TokenService tokens;
  private final WaitingRoom waitingRoom;
  private final AuditLog audit;

  public TokensResource(TokenService tokens, WaitingRoom waitingRoom, AuditLog audit) {
    this.tokens = tokens;
    this.waitingRoom = waitingRoom;
    this.audit = audit;
  }

  @GET
  public TokenListResponse list(
      @Context SecurityContext security,
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Client client = ClientSecurityContext.clientOf(security);
    TokenFilter filter = RequestParameters.state(state);
    long position = RequestParameters.position(after, 0);
    int max = RequestParameters.limit(limit, DEFAULT_LIMIT);
    if (client.role() == ClientRole.HOLDER) {
      return ownListing(client, filter);
    }
    TokenListing listing = tokens.list(filter, position, max);
    return new TokenListResponse(
        listing.page().items().stream().map(TokenResponse::of).toList(),
        listing.activeCount(),
        listing.availableCount(),
        listing.page().nextAfter().map(RequestParameters::cursor).orElse(null));
  }

  /** What a holder sees of the pool: the counts, and its own holding if the filter shows it. */
  private TokenListResponse ownListing(Client holder, TokenFilter filter) {
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
      @Context SecurityContext security, ActivationRequest request) {
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
    ActivationOptions options = options(request);
    if (options.onFull() == OnFull.WAIT) {
      // Completed later by the waiting room, unless a token was free: Jersey answers a completed
      // stage at once, on this thread, and suspends the request (no thread held) otherwise.
      CompletableFuture<ActivationResponse> answer = new CompletableFuture<>();
      waitingRoom
          .activate(userId, options.lease(), options.waitFor())
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
    return CompletableFuture.completedFuture(response(client, tokens.activate(userId, options)));
  }

  private static ActivationResponse response(Client client, Activation activation) {
    if (client.role() == ClientRole.HOLDER && activation.evictedUserId() != null) {
      // A holder learns that someone lost a token to it, never who.
      return ActivationResponse.of(activation).withoutEvictedUser();
    }
    return ActivationResponse.of(activation);
  }

  /** The activation's options from its body; the pool's defaults for what it leaves out. */
  private ActivationOptions options(ActivationRequest request) {
    if (request == null) {
      return ActivationOptions.DEFAULT;
    }
    OnFull onFull = RequestParameters.onFull(request.onFull());
    Optional<Duration> wait = RequestParameters.duration("wait", request.waitFor());
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
    return new ActivationOptions(
        RequestParameters.duration("lease", request.lease()), onFull, wait);
  }

  @DELETE
  @Path("/active")
  public ClearResponse clearActive(@Context SecurityContext security) {
    Client client = ClientSecurityContext.clientOf(security);
    requireOperator(client, "Only an operator clears the pool");
    int cleared = tokens.clearActive(client.name());
    audit.record("tokens-clear", client.name(), client.via(), "cleared", cleared);
    return ClearResponse.of(cleared);
  }

  @GET
  @Path("/{tokenId}")
  public TokenDetailsResponse get(
      @Context SecurityContext security, @PathParam("tokenId") String tokenId) {
    Client client = ClientSecurityContext.clientOf(security);
    TokenDetails details = tokens.get(RequestParameters.uuid("token_id", tokenId));
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
      @PathParam("tokenId") String tokenId,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Client client = ClientSecurityContext.clientOf(security);
    UUID id = RequestParameters.uuid("token_id", tokenId);
    Optional<String> onlyUser =
        client.role() == ClientRole.HOLDER ? Optional.of(client.name()) : Optional.empty();
    TokenHistory history =
        tokens.history(
            id,
            onlyUser,
            RequestParameters.position(after, Long.MAX_VALUE),
            RequestParameters.limit(limit, DEFAULT_LIMIT));
    Page<?> page = history.page();
    return new HistoryResponse(
        history.tokenId(),
        history.page().items().stream().map(UsageResponse::of).toList(),
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
    ReleasedUsage released = tokens.release(id, holder, fence, client.name());
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
    return RenewResponse.of(tokens.renew(id, fence, lease, holder));
  }

  /**
   * Whether a fence is the token's current holding, for a resource that cannot keep fences. A
   * holder learns only that of another user's holding.
   */
  @GET
  @Path("/{tokenId}/fences/{fence}")
  public FenceResponse fence(
      @Context SecurityContext security,
      @PathParam("tokenId") String tokenId,
      @PathParam("fence") String fence) {
    Client client = ClientSecurityContext.clientOf(security);
    FenceResponse status =
        FenceResponse.of(
            tokens.fence(
                RequestParameters.uuid("token_id", tokenId),
                RequestParameters.fence("fence", fence)));
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
