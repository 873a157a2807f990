package dev.tokenpool.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Reads to its end a request body that was answered without being read (a refused login, an unknown
 * route), so that the client's connection stays usable on every container. Tomcat does so itself;
 * Jetty 12 instead closes the connection when the body had not arrived by the time of the answer,
 * and a client that sent headers and body apart (Java's HttpClient does) then finds its next
 * request on that connection unanswered. Bodies longer than the API accepts are left alone: those
 * connections close.
 */
public final class UnreadBodyDrain implements Filter {

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(request, response);
    long declared = request.getContentLengthLong();
    if (request.isAsyncStarted()
        || declared == 0
        || declared > RequestSizeLimitFilter.MAX_BODY_BYTES) {
      return;
    }
    ServletInputStream body;
    try {
      body = request.getInputStream();
    } catch (IllegalStateException readAsText) {
      return; // read through getReader(): the application consumed it
    }
    byte[] buffer = new byte[8192];
    long left = RequestSizeLimitFilter.MAX_BODY_BYTES + 1L;
    try {
      while (left > 0 && !body.isFinished()) {
        int read = body.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          return;
        }
        left -= read;
      }
    } catch (IOException clientGone) {
      // Nothing more to keep: the connection is gone or broken either way.
    }
  }
}
