package dev.tokenpool.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The headers every answer carries, set before anything else writes: no content sniffing, no
 * framing by another site, nothing stored by a cache (answers name holders and carry credentials;
 * the console's files, which hold neither, set their own caching), and over HTTPS, HSTS. A servlet
 * that sets one of these itself (the console's full Content-Security-Policy) replaces it.
 */
public final class SecurityHeaders implements Filter {

  /**
   * One year, the preload lists' minimum; no includeSubDomains: the node does not own its parent.
   */
  static final String HSTS = "max-age=31536000";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (response instanceof HttpServletResponse http) {
      http.setHeader("X-Content-Type-Options", "nosniff");
      http.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
      http.setHeader("Cache-Control", "no-store");
      http.setHeader("Referrer-Policy", "no-referrer");
      // isSecure: TLS on this connector, or a balancer that RemoteIpValve trusts said https.
      if (request.isSecure()) {
        http.setHeader("Strict-Transport-Security", HSTS);
      }
    }
    chain.doFilter(request, response);
  }
}
