package dev.tokenpool.api;

import dev.tokenpool.jobs.ClusterNodes;
import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobRunHistory;
import dev.tokenpool.jobs.TokenExpiry;
import dev.tokenpool.tokens.RecentActivity;
import dev.tokenpool.tokens.TokenService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API: who is logged in, the pool's recent activity, the cluster's scheduler nodes, the
 * jobs' state, pausing, resuming and triggering them (cluster-wide), and an expiry pass on this
 * node. {@link AdminAuthFilter} guards it.
 */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminResource {

  /** Minutes of pool activity the pool view shows. */
  static final int ACTIVITY_MINUTES = 10;

  private final String nodeId;
  private final TokenService tokens;
  private final RecentActivity activity;
  private final ClusterNodes cluster;
  private final JobControl jobs;
  private final JobRunHistory runs;
  private final TokenExpiry expiry;

  public AdminResource(
      String nodeId,
      TokenService tokens,
      RecentActivity activity,
      ClusterNodes cluster,
      JobControl jobs,
      JobRunHistory runs,
      TokenExpiry expiry) {
    this.nodeId = nodeId;
    this.tokens = tokens;
    this.activity = activity;
    this.cluster = cluster;
    this.jobs = jobs;
    this.runs = runs;
    this.expiry = expiry;
  }

  /** The operator of this request: lets a console show or disable what the role may not do. */
  @GET
  @Path("/me")
  public OperatorResponse me(@Context SecurityContext operator) {
    return new OperatorResponse(
        operator.getUserPrincipal().getName(),
        operator.isUserInRole("ADMIN") ? "ADMIN" : "MONITOR");
  }

  @GET
  @Path("/pool")
  public PoolResponse pool() {
    return PoolResponse.of(
        nodeId, tokens.counts(), tokens.tokenLifetime(), activity.lastMinutes(ACTIVITY_MINUTES));
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
}
