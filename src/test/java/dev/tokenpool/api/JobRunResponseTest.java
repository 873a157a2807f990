package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.jobs.JobRunView;
import dev.tokenpool.jobs.RunOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The public run history shows what kind of error a run met, never its internal text. */
final class JobRunResponseTest {

  private static final String SQL_ERROR =
      "org.hibernate.exception.SQLGrammarException: JDBC exception executing SQL [SELECT id FROM"
          + " tokens] [Table 'tokenpool.tokens' doesn't exist]; caused by java.sql.SQLSyntaxErrorException";

  @Test
  void thePublicViewKeepsOnlyTheKindOfError() {
    assertThat(JobRunResponse.publicView(run(SQL_ERROR)).error()).isEqualTo("SQLGrammarException");
    assertThat(
            JobRunResponse.publicView(run("abandoned: node a-1 stopped before the run finished"))
                .error())
        .isEqualTo("abandoned");
    assertThat(JobRunResponse.publicView(run(null)).error()).isNull();
  }

  @Test
  void theAdminViewKeepsTheWholeError() {
    assertThat(JobRunResponse.of(run(SQL_ERROR)).error()).isEqualTo(SQL_ERROR);
  }

  private static JobRunView run(String error) {
    Instant at = Instant.parse("2026-11-24T10:00:00Z");
    return new JobRunView(
        "expire-tokens",
        "fire-1",
        "node-1",
        at,
        at,
        at,
        at,
        error == null ? RunOutcome.SUCCESS : RunOutcome.FAILED,
        0,
        error,
        false,
        false,
        java.time.Duration.ofSeconds(30));
  }
}
