package dev.tokenpool.api;

import dev.tokenpool.jobs.JobRunHistory;
import dev.tokenpool.jobs.UnknownJobException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/** The job run history, read-only, newest first. */
@Path("/api/jobs/runs")
@Produces(MediaType.APPLICATION_JSON)
public final class JobRunsResource {

  /** Runs per page when the client asks for no limit. */
  static final int DEFAULT_LIMIT = 50;

  private final JobRunHistory runs;

  public JobRunsResource(JobRunHistory runs) {
    this.runs = runs;
  }

  /**
   * An unknown job in the query is a bad parameter (400); in a path, as under /api/admin/jobs, it
   * is a missing resource (404). The catalogue decides what a job name is, in both places.
   */
  @GET
  public JobRunsResponse list(@QueryParam("job") String job, @QueryParam("limit") String limit) {
    int max = RequestParameters.limit(limit, DEFAULT_LIMIT);
    Optional<String> name = Optional.ofNullable(job).filter(j -> !j.isEmpty());
    try {
      return new JobRunsResponse(
          runs.latest(name, max).stream().map(JobRunResponse::publicView).toList());
    } catch (UnknownJobException e) {
      throw new InvalidRequestException("job", e.getMessage());
    }
  }
}
