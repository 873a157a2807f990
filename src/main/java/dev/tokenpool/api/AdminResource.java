package dev.tokenpool.api;

import dev.tokenpool.admin.Draining;
import dev.tokenpool.admin.OperatorSessions;
import dev.tokenpool.events.EventRelay;
import dev.tokenpool.jobs.ClusterNodes;
import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobRunHistory;
import dev.tokenpool.jobs.TokenExpiry;
import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.pools.PoolHandle;
import dev.tokenpool.pools.PoolList;
import dev.tokenpool.pools.PoolSpec;
import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.security.IssuedApiKey;
import dev.tokenpool.tokens.PoolIds;
import dev.tokenpool.tokens.RecentActivity;
import dev.tokenpool.tokens.WaitingRoom;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin API: who is logged in, the pool's recent activity, the cluster's scheduler nodes, the
 * jobs' state, pausing, resuming and triggering them (cluster-wide), and an expiry pass on this
 * node; API keys for the token API; the console's sessions. {@link AdminAuthFilter} guards it.
 */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminResource {

  /** Minutes of pool activity the pool view shows. */
  static final int ACTIVITY_MINUTES = 10;

  private final String nodeId;
  private final WaitingRoom waitingRoom;
  private final EventRelay events;
  private final Draining draining;
  private final PoolDirectory pools;
  private final RecentActivity activity;
  private final ClusterNodes cluster;
  private final JobControl jobs;
  private final JobRunHistory runs;
  private final TokenExpiry expiry;
  private final ApiKeys apiKeys;
  private final Optional<OperatorSessions> sessions;

  public AdminResource(
      String nodeId,
      WaitingRoom waitingRoom,
      EventRelay events,
      Draining draining,
      PoolDirectory pools,
      RecentActivity activity,
      ClusterNodes cluster,
      JobControl jobs,
      JobRunHistory runs,
      TokenExpiry expiry,
      ApiKeys apiKeys,
      Optional<OperatorSessions> sessions) {
    this.nodeId = nodeId;
    this.apiKeys = apiKeys;
    this.sessions = sessions;
    this.waitingRoom = waitingRoom;
    this.events = events;
    this.draining = draining;
    this.pools = pools;
    this.activity = activity;
    this.cluster = cluster;
    this.jobs = jobs;
    this.runs = runs;
    this.expiry = expiry;
  }

  /**
   * Takes this node out of its balancers' rotation before it stops: {@code /health/ready} answers
   * 503 from now on, while every request that still reaches the node is served. The node answers;
   * the others are untouched.
   */
  @POST
  @Path("/drain")
  public DrainResponse drain() {
    return new DrainResponse(nodeId, true, draining.start());
  }

  /** This node's draining: whether it drains, and since when. */
  @GET
  @Path("/drain")
  public DrainResponse draining() {
    return new DrainResponse(nodeId, draining.since().isPresent(), draining.since().orElse(null));
  }

  /** Back in rotation: {@code /health/ready} follows the database again. */
  @DELETE
  @Path("/drain")
  public DrainResponse undrain() {
    draining.stop();
    return new DrainResponse(nodeId, false, null);
  }

  /** The operator of this request: lets a console show or disable what the role may not do. */
  @GET
  @Path("/me")
  public OperatorResponse me(@Context SecurityContext operator) {
    return new OperatorResponse(
        operator.getUserPrincipal().getName(),
        operator.isUserInRole("ADMIN") ? "ADMIN" : "MONITOR");
  }

  /** A pool now and its last minutes: the default pool, or the one {@code pool} names. */
  @GET
  @Path("/pool")
  public PoolResponse pool(@Context SecurityContext security, @QueryParam("pool") String name) {
    String named = name == null ? PoolIds.DEFAULT_NAME : name;
    Operator operator = OperatorSecurityContext.operatorOf(security);
    if (!operator.mayUse(named)) {
      throw new NotPermittedException(
          "This operator may see the pools " + operator.pools() + " only, not " + named);
    }
    PoolHandle pool = pools.resolve(named);
    return PoolResponse.of(
        nodeId,
        pool.name(),
        pool.tokens().counts(),
        waitingRoom.waitingInCluster(pool.definition().id()),
        pool.tokens().tokenLifetime(),
        activity.lastMinutes(ACTIVITY_MINUTES, OptionalInt.of(pool.definition().id())));
  }

  /**
   * Every holding's events as they happen, for the console (Server-Sent Events, as {@code GET
   * /api/events} gives them to an operator; an EventSource sends the session cookie).
   */
  @GET
  @Path("/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(
      @Context SseEventSink sink,
      @Context Sse sse,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @Context SecurityContext security,
      @QueryParam("pool") String pool) {
    Optional<Long> resumeAfter =
        lastEventId == null || lastEventId.isBlank()
            ? Optional.empty()
            : Optional.of(RequestParameters.lastEventId(lastEventId.strip()));
    Operator operator = OperatorSecurityContext.operatorOf(security);
    events.subscribe(
        EventsResource.ofPools(pools, operator.pools(), pool),
        resumeAfter,
        () -> EventStreamSink.open(sink, sse, pools::nameOf));
  }

  @GET
  @Path("/nodes")
  public NodesResponse nodes() {
    return new NodesResponse(
        nodeId,
        ClusterNodes.LATEST_RUNS,
        cluster.all().stream().map(NodesResponse.Node::of).toList());
  }

  @GET
  @Path("/jobs")
  public Map<String, Object> list() {
    return Map.of("jobs", jobs.all().stream().map(JobStatusResponse::of).toList());
  }

  @GET
  @Path("/jobs/{name}")
  public JobStatusResponse get(@PathParam("name") String name) {
    return JobStatusResponse.of(jobs.status(name));
  }

  @POST
  @Path("/jobs/{name}/pause")
  public JobStatusResponse pause(@PathParam("name") String name) {
    jobs.pause(name);
    return JobStatusResponse.of(jobs.status(name));
  }

  @POST
  @Path("/jobs/{name}/resume")
  public JobStatusResponse resume(@PathParam("name") String name) {
    jobs.resume(name);
    return JobStatusResponse.of(jobs.status(name));
  }

  /**
   * A new interval for the job on the whole cluster, kept across restarts: no node's setting
   * replaces it until {@link #resetSchedule} gives the job back to its setting.
   */
  @PUT
  @Path("/jobs/{name}/schedule")
  @Consumes(MediaType.APPLICATION_JSON)
  public JobStatusResponse schedule(
      @Context SecurityContext operator, @PathParam("name") String name, ScheduleRequest request) {
    jobs.status(name); // 404 for an unknown job, before the body is judged
    if (request == null || request.interval() == null) {
      throw new InvalidRequestException("interval", "is required, such as PT10S");
    }
    Duration interval = RequestParameters.duration("interval", request.interval()).orElseThrow();
    try {
      return JobStatusResponse.of(
          jobs.reschedule(name, interval, operator.getUserPrincipal().getName()));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("interval", e.getMessage());
    }
  }

  /** The job back on its setting: the interval of the node that answers. */
  @DELETE
  @Path("/jobs/{name}/schedule")
  public JobStatusResponse resetSchedule(
      @Context SecurityContext operator, @PathParam("name") String name) {
    return JobStatusResponse.of(jobs.resetSchedule(name, operator.getUserPrincipal().getName()));
  }

  /** 202: one run is asked of the cluster; it shows in the run history as manual. */
  @POST
  @Path("/jobs/{name}/trigger")
  public Response trigger(@PathParam("name") String name) {
    jobs.triggerNow(name);
    return Response.accepted(Map.of("job", name, "status", "triggered")).build();
  }

  @GET
  @Path("/jobs/{name}/runs")
  public JobRunsResponse runs(@PathParam("name") String name, @QueryParam("limit") String limit) {
    jobs.status(name); // 404 for an unknown job
    int max = RequestParameters.limit(limit, JobRunsResource.DEFAULT_LIMIT);
    return new JobRunsResponse(
        runs.latest(Optional.of(name), max).stream().map(JobRunResponse::of).toList());
  }

  /** An expiry pass now, on this node, recorded as a manual run; the count of usages it ended. */
  @POST
  @Path("/expire-now")
  public Map<String, Integer> expireNow() {
    return Map.of("released", expiry.releaseExpiredNow());
  }

  /** 201 with the key's secret, shown this once; the key works on every node at once. */
  @POST
  @Path("/api-keys")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response createApiKey(
      @Context SecurityContext operator, @Context UriInfo uri, ApiKeyRequest request) {
    if (request == null) {
      throw new InvalidRequestException("body", "a JSON object with name and scope is required");
    }
    String name = RequestParameters.userId("name", request.name());
    ClientRole scope =
        ClientRole.ofScope(request.scope() == null ? "" : request.scope())
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "scope", "must be one of tokens, tokens:any-user, tokens:admin"));
    Optional<Instant> expiresAt = Optional.empty();
    if (request.expiresAt() != null) {
      try {
        expiresAt = Optional.of(Instant.parse(request.expiresAt()));
      } catch (DateTimeParseException e) {
        throw new InvalidRequestException(
            "expires_at", "must be an RFC 3339 instant such as 2027-01-31T00:00:00Z");
      }
    }
    Set<String> pools = keyPools(OperatorSecurityContext.operatorOf(operator), request.pools());
    IssuedApiKey issued;
    try {
      issued = apiKeys.create(name, scope, pools, expiresAt, operator.getUserPrincipal().getName());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("expires_at", "must lie in the future");
    }
    return Response.created(uri.getAbsolutePathBuilder().path(issued.key().id()).build())
        .entity(ApiKeyResponse.issued(issued))
        .build();
  }

  /**
   * The pools a new key may use: those named (valid pool names), or every pool; an operator limited
   * to some pools issues keys for some of those only.
   */
  private static Set<String> keyPools(Operator operator, List<String> named) {
    Set<String> pools = new TreeSet<>();
    if (named != null) {
      for (String pool : named) {
        if (!PoolSpec.isName(pool)) {
          throw new InvalidRequestException(
              "pools", "holds a name that no pool may have: 1 to 64 of a-z, 0-9, - and _");
        }
        pools.add(pool);
      }
      if (pools.isEmpty()) {
        throw new InvalidRequestException("pools", "must name a pool, or be absent for every pool");
      }
      if (PoolList.format(pools).length() > PoolList.MAX_LENGTH) {
        throw new InvalidRequestException(
            "pools",
            "names more pools than a key holds: at most " + PoolList.MAX_LENGTH + " characters");
      }
    }
    if (!operator.pools().isEmpty() && (pools.isEmpty() || !operator.pools().containsAll(pools))) {
      throw new NotPermittedException(
          "An operator of the pools "
              + operator.pools()
              + " issues keys limited to some of them: name them in pools");
    }
    return pools;
  }

  @GET
  @Path("/api-keys")
  public ApiKeysResponse apiKeys(@Context SecurityContext security) {
    Operator operator = OperatorSecurityContext.operatorOf(security);
    return new ApiKeysResponse(
        apiKeys.list().stream()
            .filter(key -> within(operator, key.pools()))
            .map(ApiKeyResponse::of)
            .toList());
  }

  /** Whether credentials of these pools (empty: every pool) lie within the operator's pools. */
  private static boolean within(Operator operator, Set<String> pools) {
    return operator.pools().isEmpty() || (!pools.isEmpty() && operator.pools().containsAll(pools));
  }

  /** 204; every node refuses the key within seconds. */
  @DELETE
  @Path("/api-keys/{id}")
  public Response deleteApiKey(@Context SecurityContext security, @PathParam("id") String id) {
    String keyId = RequestParameters.uuid("id", id).toString();
    Operator operator = OperatorSecurityContext.operatorOf(security);
    if (!operator.pools().isEmpty()
        && apiKeys.list().stream()
            .anyMatch(key -> key.id().equals(keyId) && !within(operator, key.pools()))) {
      throw new NotPermittedException(
          "This key reaches beyond the pools " + operator.pools() + " of this operator");
    }
    apiKeys.delete(keyId);
    return Response.noContent().build();
  }

  /**
   * Exchanges this request's login for a console session: an HttpOnly, SameSite=Strict cookie, so
   * the page keeps no password.
   */
  @POST
  @Path("/session")
  public Response openSession(@Context SecurityContext security) {
    OperatorSessions store = sessionStore();
    Operator operator = OperatorSecurityContext.operatorOf(security);
    OperatorSessions.Opened opened = store.open(operator.name(), operator.role(), operator.pools());
    return Response.ok(
            new SessionResponse(
                operator.name(), operator.role().name(), opened.session().expiresAt()))
        .cookie(sessionCookie(opened.id(), (int) OperatorSessions.LIFETIME.toSeconds(), security))
        .build();
  }

  /** Logs out: ends the session on every node and clears the cookie. */
  @DELETE
  @Path("/session")
  public Response closeSession(@Context SecurityContext security, @Context HttpHeaders headers) {
    Cookie cookie = headers.getCookies().get(AuthorizationHeader.SESSION_COOKIE);
    if (cookie != null && !cookie.getValue().isEmpty()) {
      sessionStore().close(cookie.getValue());
    }
    return Response.noContent().cookie(sessionCookie("", 0, security)).build();
  }

  private OperatorSessions sessionStore() {
    return sessions.orElseThrow(() -> new NotPermittedException("Sessions are not served here"));
  }

  private static NewCookie sessionCookie(String value, int maxAge, SecurityContext security) {
    return new NewCookie.Builder(AuthorizationHeader.SESSION_COOKIE)
        .value(value)
        .path("/")
        .maxAge(maxAge)
        .httpOnly(true)
        .secure(security.isSecure())
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }
}
