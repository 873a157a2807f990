package dev.tokenpool.api;

import dev.tokenpool.jobs.JobRunHistory;
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

  static final int DEFAULT_LIMIT = 50;

  private final JobRunHistory runs;

  public JobRunsResource(JobRunHistory runs) {
    this.runs = runs;
  }

  @GET
  public JobRunsResponse list(@QueryParam("job") String job, @QueryParam("limit") String limit) {
    int max = limit == null || limit.isEmpty() ? DEFAULT_LIMIT : RequestParameters.limit(limit);
    Optional<String> name = Optional.ofNullable(job).filter(j -> !j.isEmpty());
    name.filter(n -> !runs.jobNames().contains(n))
        .ifPresent(
            n -> {
              throw new InvalidRequestException(
                  "job",
                  "'"
                      + RequestParameters.abbreviate(n)
                      + "' is not a job; the jobs are "
                      + String.join(", ", new java.util.TreeSet<>(runs.jobNames())));
            });
    return new JobRunsResponse(runs.latest(name, max).stream().map(JobRunResponse::publicView).toList());
  }
}
