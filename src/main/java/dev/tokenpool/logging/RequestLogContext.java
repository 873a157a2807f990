package dev.tokenpool.logging;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id and puts the request's fields in the MDC while it runs on this thread:
 * {@code node}, {@code request_id}, and {@code principal} once the API has authenticated it ({@link
 * LogFields#principal}). The id is the client's {@value #HEADER} when it is sane (1 to {@value
 * #MAX_LENGTH} letters, digits, '.', '_', ':' or '-', and not an API key), else 128 random bits in
 * hex; it is sent back in {@value #HEADER} and set as the request attribute {@value #ATTRIBUTE},
 * which Tomcat's access log prints. Only its own keys are removed afterwards: other filters'
 * (tracing's {@code trace_id}, {@code span_id}) are theirs.
 */
public final class RequestLogContext implements Filter {

  public static final String HEADER = "X-Request-Id";
  public static final String ATTRIBUTE = "tokenpool.request_id";
  static final int MAX_LENGTH = 64;

  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private final String nodeId;

  public RequestLogContext(String nodeId) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String id = requestId(((HttpServletRequest) request).getHeader(HEADER));
    request.setAttribute(ATTRIBUTE, id);
    ((HttpServletResponse) response).setHeader(HEADER, id);
    MDC.put(LogFields.NODE, nodeId);
    MDC.put(LogFields.REQUEST_ID, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(LogFields.NODE);
      MDC.remove(LogFields.REQUEST_ID);
      MDC.remove(LogFields.PRINCIPAL);
    }
  }

  /** The client's id when sane, else a new one. */
  static String requestId(String offered) {
    if (offered != null && SANE.matcher(offered).matches() && !looksLikeASecret(offered)) {
      return offered;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits(random.nextLong())
        + HexFormat.of().toHexDigits(random.nextLong());
  }

  /** A client that sends its key as the request id must not find it in the logs. */
  private static boolean looksLikeASecret(String offered) {
    return !Redaction.scrub(offered).equals(offered);
  }
}
