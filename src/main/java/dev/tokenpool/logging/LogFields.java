package dev.tokenpool.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The fields a log line carries beside its message, as SLF4J's MDC keys: the text format ignores
 * them, the JSON format prints each as a field of its own ({@link JsonLineEncoder}). Values are
 * names and ids, never credentials.
 */
public final class LogFields {

  /** The node's id ({@code TOKENPOOL_NODE_ID} or the one it made itself). */
  public static final String NODE = "node";

  /** The request's id: the client's {@code X-Request-Id} when sane, else one made up. */
  public static final String REQUEST_ID = "request_id";

  /** Who the request authenticated as, e.g. {@code key/billing} or {@code basic/admin}. */
  public static final String PRINCIPAL = "principal";

  /** The job run's id (Quartz's fire instance id, the run history's id). */
  public static final String JOB_RUN_ID = "job_run_id";

  private LogFields() {}

  /**
   * Names this process's node for every line, also those of threads outside a request or a job run
   * (startup, shutdown, background loops): a property of logback's context, which the JSON encoder
   * prints when the line's MDC has no node. One node per JVM in production; several nodes in one
   * test JVM share it, and their requests and job runs still say their own node.
   */
  public static void nodeOfThisProcess(String nodeId) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.putProperty(NODE, nodeId);
    }
  }

  /** The request on this thread authenticated as {@code principal}; the request's end clears it. */
  public static void principal(String principal) {
    MDC.put(PRINCIPAL, principal);
  }

  /**
   * Marks this thread's lines as the job run's until the scope closes, which puts back what was
   * there before (a run started inside a request keeps the request's fields).
   */
  public static Scope jobRun(String runId) {
    String before = MDC.get(JOB_RUN_ID);
    MDC.put(JOB_RUN_ID, runId);
    return () -> {
      if (before == null) {
        MDC.remove(JOB_RUN_ID);
      } else {
        MDC.put(JOB_RUN_ID, before);
      }
    };
  }

  /** A field set for a while, cleared by {@link #close()}. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
