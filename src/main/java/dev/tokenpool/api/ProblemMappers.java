package dev.tokenpool.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tokenpool.jobs.UnknownJobException;
import dev.tokenpool.persistence.DatabaseUnavailableException;
import dev.tokenpool.persistence.TransientConflictException;
import dev.tokenpool.pools.InvalidPoolException;
import dev.tokenpool.pools.PoolConflictException;
import dev.tokenpool.pools.PoolNotFoundException;
import dev.tokenpool.security.ApiKeyNameTakenException;
import dev.tokenpool.security.ApiKeyNotFoundException;
import dev.tokenpool.security.IdentityProviderUnavailableException;
import dev.tokenpool.security.InsufficientScopeException;
import dev.tokenpool.security.InvalidTokenException;
import dev.tokenpool.security.TooManyRequestsException;
import dev.tokenpool.tokens.HoldingEnd;
import dev.tokenpool.tokens.LeaseOutOfRangeException;
import dev.tokenpool.tokens.MaxHoldReachedException;
import dev.tokenpool.tokens.NotTheHolderException;
import dev.tokenpool.tokens.PoolFullException;
import dev.tokenpool.tokens.StaleFenceException;
import dev.tokenpool.tokens.TokenNotActiveException;
import dev.tokenpool.tokens.TokenNotFoundException;
import dev.tokenpool.tokens.WaitInterruptedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an RFC 9457 problem document with the right status. Nothing internal
 * reaches the client: an unexpected failure is logged under an error id, and only the id is sent.
 */
final class ProblemMappers {

  private static final Logger log = LoggerFactory.getLogger(ProblemMappers.class);
  private static final String ACTIVATE_PATH = "/api/tokens/activate";

  private ProblemMappers() {}

  static List<Object> all() {
    return List.of(
        new InvalidRequestMapper(),
        new JsonMapper(),
        new TokenNotFoundMapper(),
        new TokenNotActiveMapper(),
        new LeaseOutOfRangeMapper(),
        new PoolFullMapper(),
        new WaitInterruptedMapper(),
        new StaleFenceMapper(),
        new MaxHoldReachedMapper(),
        new UnknownJobMapper(),
        new NotAuthenticatedMapper(),
        new BearerTokenRequiredMapper(),
        new InvalidTokenMapper(),
        new InsufficientScopeMapper(),
        new NotPermittedMapper(),
        new NotTheHolderMapper(),
        new TooManyRequestsMapper(),
        new ApiKeyNotFoundMapper(),
        new ApiKeyNameTakenMapper(),
        new InvalidPoolMapper(),
        new PoolNotFoundMapper(),
        new PoolConflictMapper(),
        new IdentityProviderUnavailableMapper(),
        new WebApplicationMapper(),
        new BusyMapper(),
        new UnavailableMapper(),
        new UnexpectedMapper());
  }

  /** Adds the request path as the problem's {@code instance}. */
  abstract static class Base<E extends Throwable> implements ExceptionMapper<E> {

    @Context UriInfo uriInfo;

    Response respond(Problem problem) {
      return respond(problem, UnaryOperator.identity());
    }

    Response respond(Problem problem, UnaryOperator<Response.ResponseBuilder> headers) {
      return headers.apply(problem.withInstance(path()).toResponse()).build();
    }

    /** A 503 the client may retry after the given seconds; the cause is logged, not sent. */
    Response retryLater(Problem problem, int seconds, RuntimeException cause) {
      String errorId = UUID.randomUUID().toString();
      log.warn("Request {} answered {}: {}", errorId, problem.title(), cause.toString());
      return respond(
          problem.withErrorId(errorId),
          builder -> builder.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
    }

    /** A failure of ours: logged with its stack under an error id; only the id is sent. */
    Response internalError(Throwable cause) {
      String errorId = UUID.randomUUID().toString();
      log.error("Unexpected failure, error id {}", errorId, cause);
      return respond(
          Problem.of(
                  "internal-error", "Internal error", 500, "Quote this error id when reporting it")
              .withErrorId(errorId));
    }

    String path() {
      return uriInfo == null ? null : "/" + uriInfo.getPath(false);
    }
  }

  static final class InvalidRequestMapper extends Base<InvalidRequestException> {
    @Override
    public Response toResponse(InvalidRequestException e) {
      return respond(Problem.of("invalid-request", "Invalid request", 400, e.getMessage()));
    }
  }

  static final class JsonMapper extends Base<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      if (!readingTheRequest(e)) {
        return internalError(e); // writing our own response failed: not the client's fault
      }
      // Jackson's own messages name internal classes: say what is wrong and where, only.
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      String detail =
          e instanceof MismatchedInputException
              ? expectedShape() + where
              : "The body is not valid JSON" + where;
      return respond(Problem.of("malformed-body", "Malformed request body", 400, detail));
    }

    /** Whether Jackson failed on the request body (a parser's failure) or on our response. */
    private static boolean readingTheRequest(JsonProcessingException e) {
      if (e.getProcessor() instanceof JsonParser) {
        return true;
      }
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof JsonParseException || t instanceof MismatchedInputException) {
          return true;
        }
      }
      return false;
    }

    /** The activation's body is shown as the example on its own endpoint only. */
    private String expectedShape() {
      return ACTIVATE_PATH.equals(path())
          ? "The body must be a JSON object such as {\"user_id\": \"alice\"}"
          : "The body must be a JSON object of the documented form";
    }
  }

  static final class TokenNotFoundMapper extends Base<TokenNotFoundException> {
    @Override
    public Response toResponse(TokenNotFoundException e) {
      return respond(Problem.of("token-not-found", "Token not found", 404, e.getMessage()));
    }
  }

  static final class TokenNotActiveMapper extends Base<TokenNotActiveException> {
    @Override
    public Response toResponse(TokenNotActiveException e) {
      return respond(Problem.of("token-not-active", "Token not active", 409, e.getMessage()));
    }
  }

  static final class LeaseOutOfRangeMapper extends Base<LeaseOutOfRangeException> {
    @Override
    public Response toResponse(LeaseOutOfRangeException e) {
      return respond(
          Problem.of("invalid-request", "Invalid request", 400, "lease: " + e.getMessage())
              .with("field", "lease"));
    }
  }

  /** 409 with Retry-After: the seconds until the soonest holding ends on its own. */
  static final class PoolFullMapper extends Base<PoolFullException> {
    @Override
    public Response toResponse(PoolFullException e) {
      // Rounded up: a client retrying after this many seconds finds the soonest holding ended.
      long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
      return respond(
          Problem.of(
                  "pool_full",
                  "Pool full",
                  409,
                  e.getMessage()
                      + "; retry after the soonest"
                      + " expiry, or activate with \"on_full\": \"evict\"")
              .with("soonest_expiry", e.soonestExpiry().orElse(null)),
          builder -> builder.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
    }
  }

  /** 409: the fence is not the current holding; how that holding ended, when it has. */
  static final class StaleFenceMapper extends Base<StaleFenceException> {
    @Override
    public Response toResponse(StaleFenceException e) {
      Problem problem =
          Problem.of("stale_fence", "Stale fence", 409, e.getMessage())
              .with("token_id", e.tokenId())
              .with("fence", e.fence());
      if (e.end().isPresent()) {
        HoldingEnd end = e.end().get();
        problem =
            problem
                .with("end_reason", end.reason().name())
                .with("ended_at", end.at())
                .with("ended_by", end.by())
                .with("evicted_by", end.evictedBy());
      }
      return respond(problem);
    }
  }

  static final class MaxHoldReachedMapper extends Base<MaxHoldReachedException> {
    @Override
    public Response toResponse(MaxHoldReachedException e) {
      return respond(
          Problem.of("max_hold_reached", "Longest hold reached", 409, e.getMessage())
              .with("token_id", e.tokenId())
              .with("fence", e.fence())
              .with("hold_until", e.holdUntil()));
    }
  }

  static final class UnknownJobMapper extends Base<UnknownJobException> {
    @Override
    public Response toResponse(UnknownJobException e) {
      return respond(Problem.of("job-not-found", "Job not found", 404, e.getMessage()));
    }
  }

  /**
   * The Basic challenge, except to a script that says it is one ({@code X-Requested-With}, as the
   * console sends): a browser answers a Basic challenge to a script's request with its own login
   * dialog, and holds the request until someone closes it. The script gets the cookie scheme
   * instead (draft-broyer-http-cookie-auth), which no browser acts on.
   */
  static final class NotAuthenticatedMapper extends Base<NotAuthenticatedException> {

    static final String BASIC_CHALLENGE =
        "Basic realm=\"" + AdminAuthFilter.REALM + "\", charset=\"UTF-8\"";
    static final String COOKIE_CHALLENGE =
        "Cookie realm=\""
            + AdminAuthFilter.REALM
            + "\", form-action=\"/console/\", cookie-name=\"tokenpool_session\"";

    @Context HttpHeaders request;

    @Override
    public Response toResponse(NotAuthenticatedException e) {
      boolean script =
          request != null && request.getHeaderString(CrossSiteRequestGuard.REQUESTED_WITH) != null;
      return respond(
          Problem.of("unauthorized", "Unauthorized", 401, e.getMessage()),
          builder ->
              builder.header(
                  HttpHeaders.WWW_AUTHENTICATE, script ? COOKIE_CHALLENGE : BASIC_CHALLENGE));
    }
  }

  /** RFC 6750: a request without credentials gets the scheme's challenge and no error code. */
  static final class BearerTokenRequiredMapper extends Base<BearerTokenRequiredException> {
    @Override
    public Response toResponse(BearerTokenRequiredException e) {
      return respond(
          Problem.of("unauthorized", "Unauthorized", 401, e.getMessage()),
          builder -> builder.header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE));
    }
  }

  static final String BEARER_CHALLENGE = "Bearer realm=\"tokenpool\"";

  /** RFC 6750 invalid_token; the description is ours, never the token. */
  static final class InvalidTokenMapper extends Base<InvalidTokenException> {
    @Override
    public Response toResponse(InvalidTokenException e) {
      return respond(
          Problem.of("invalid-token", "Invalid token", 401, e.getMessage()),
          builder ->
              builder.header(
                  HttpHeaders.WWW_AUTHENTICATE,
                  BEARER_CHALLENGE
                      + ", error=\"invalid_token\", error_description=\""
                      + quotable(e.getMessage())
                      + "\""));
    }
  }

  /** RFC 6750 insufficient_scope, naming the scopes that would do. */
  static final class InsufficientScopeMapper extends Base<InsufficientScopeException> {
    @Override
    public Response toResponse(InsufficientScopeException e) {
      return respond(
          Problem.of("insufficient-scope", "Insufficient scope", 403, e.getMessage()),
          builder ->
              builder.header(
                  HttpHeaders.WWW_AUTHENTICATE,
                  BEARER_CHALLENGE
                      + ", error=\"insufficient_scope\", scope=\""
                      + quotable(e.requiredScopes())
                      + "\""));
    }
  }

  /** Only the characters a quoted-string may carry, without quotes or backslashes. */
  static String quotable(String text) {
    return text == null ? "" : text.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'");
  }

  static final class NotTheHolderMapper extends Base<NotTheHolderException> {
    @Override
    public Response toResponse(NotTheHolderException e) {
      return respond(Problem.of("forbidden", "Forbidden", 403, e.getMessage()));
    }
  }

  /** 429 with Retry-After, and the client's RateLimit headers when a rate limit refused it. */
  static final class TooManyRequestsMapper extends Base<TooManyRequestsException> {
    @Override
    public Response toResponse(TooManyRequestsException e) {
      return respond(
          Problem.of("too-many-requests", "Too many requests", 429, e.getMessage()),
          builder -> {
            builder.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
            if (e.decision() != null) {
              builder.header(ClientAuthFilter.RATE_LIMIT_POLICY, e.decision().policyHeader());
              builder.header(ClientAuthFilter.RATE_LIMIT, e.decision().header());
            }
            return builder;
          });
    }
  }

  static final class ApiKeyNotFoundMapper extends Base<ApiKeyNotFoundException> {
    @Override
    public Response toResponse(ApiKeyNotFoundException e) {
      return respond(Problem.of("api-key-not-found", "API key not found", 404, e.getMessage()));
    }
  }

  static final class ApiKeyNameTakenMapper extends Base<ApiKeyNameTakenException> {
    @Override
    public Response toResponse(ApiKeyNameTakenException e) {
      return respond(Problem.of("api-key-name-taken", "API key name taken", 409, e.getMessage()));
    }
  }

  static final class InvalidPoolMapper extends Base<InvalidPoolException> {
    @Override
    public Response toResponse(InvalidPoolException e) {
      return respond(Problem.of("invalid-request", "Invalid request", 400, e.getMessage()));
    }
  }

  static final class PoolNotFoundMapper extends Base<PoolNotFoundException> {
    @Override
    public Response toResponse(PoolNotFoundException e) {
      return respond(Problem.of("pool-not-found", "Pool not found", 404, e.getMessage()));
    }
  }

  static final class PoolConflictMapper extends Base<PoolConflictException> {
    @Override
    public Response toResponse(PoolConflictException e) {
      return respond(Problem.of("pool-conflict", "Pool conflict", 409, e.getMessage()));
    }
  }

  static final class IdentityProviderUnavailableMapper
      extends RetryLaterMapper<IdentityProviderUnavailableException> {
    IdentityProviderUnavailableMapper() {
      super(
          Problem.of(
              "identity-provider-unavailable",
              "Identity provider unavailable",
              503,
              "The identity provider's keys cannot be fetched to check this token"),
          5);
    }
  }

  static final class NotPermittedMapper extends Base<NotPermittedException> {
    @Override
    public Response toResponse(NotPermittedException e) {
      return respond(Problem.of("forbidden", "Forbidden", 403, e.getMessage()));
    }
  }

  /** Jersey's own refusals (404 route, 405, 406, 415, our 413), keeping headers such as Allow. */
  static final class WebApplicationMapper extends Base<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response original = e.getResponse();
      int status = original.getStatus();
      if (status >= 500) {
        return internalError(e);
      }
      Response.StatusType type = Response.Status.fromStatusCode(status);
      String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
      String kind = title.toLowerCase(Locale.ROOT).replace(' ', '-');
      String allow = original.getHeaderString(HttpHeaders.ALLOW);
      return respond(
          Problem.of(kind, title, status, detailFor(status, e)),
          builder -> allow == null ? builder : builder.header(HttpHeaders.ALLOW, allow));
    }

    private static String detailFor(int status, WebApplicationException e) {
      return switch (status) {
        case 404 -> "No resource at this path";
        case 405 -> "This method is not allowed here";
        case 406 -> "This resource answers in none of the media types the request accepts";
        case 415 -> ownMessage(status, e).orElse("Send the body as application/json");
        default -> e.getMessage();
      };
    }

    /** The message a throw of ours gave, not Jersey's generic "HTTP 415 ..." text. */
    private static Optional<String> ownMessage(int status, WebApplicationException e) {
      return Optional.ofNullable(e.getMessage()).filter(m -> !m.startsWith("HTTP " + status));
    }
  }

  /** A 503 the client may retry after a pause; the cause is logged, not sent. */
  abstract static class RetryLaterMapper<E extends RuntimeException> extends Base<E> {
    private final Problem problem;
    private final int retryAfterSeconds;

    RetryLaterMapper(Problem problem, int retryAfterSeconds) {
      this.problem = problem;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Response toResponse(E e) {
      return retryLater(problem, retryAfterSeconds, e);
    }
  }

  /** A momentary conflict that outlasted the request's retries: the client may simply retry. */
  static final class BusyMapper extends RetryLaterMapper<TransientConflictException> {
    BusyMapper() {
      super(
          Problem.of("busy", "Service busy", 503, "Concurrent requests conflicted; retry shortly"),
          1);
    }
  }

  /** The node stopped under a waiting request: another node serves it. */
  static final class WaitInterruptedMapper extends RetryLaterMapper<WaitInterruptedException> {
    WaitInterruptedMapper() {
      super(
          Problem.of(
              "unavailable",
              "Service unavailable",
              503,
              "This node stopped while the request waited for a token; retry"),
          1);
    }
  }

  static final class UnavailableMapper extends RetryLaterMapper<DatabaseUnavailableException> {
    UnavailableMapper() {
      super(
          Problem.of("unavailable", "Service unavailable", 503, "The database cannot be reached"),
          5);
    }
  }

  /** Anything else is a bug: logged under an error id, 500, and only the id is sent. */
  static final class UnexpectedMapper extends Base<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      return internalError(e);
    }
  }
}
