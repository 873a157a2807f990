package dev.tokenpool.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SERVER span of every request, the first filter: it continues the caller's trace from a W3C
 * {@code traceparent} header, is current while the request runs (so the spans below are its
 * children), and puts its trace and span id in the log's MDC meanwhile. With tracing off the span
 * is the caller's own context, carried on unrecorded, so log lines still name the caller's trace.
 * Jersey names it by its route template ({@link RouteNames}); a request that Jersey suspends (an
 * activation waiting for a token, an event stream) ends its span when it completes.
 */
final class ServerSpans implements Filter {

  /** The request attribute under which the span waits for its route ({@link RouteNames}). */
  static final String SPAN = ServerSpans.class.getName() + ".span";

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private static final TextMapGetter<HttpServletRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        public String get(HttpServletRequest request, String name) {
          return request == null ? null : request.getHeader(name);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  ServerSpans(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  @SuppressWarnings("try") // the scope and the MDC are what the try is for
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Context parent = propagator.extract(Context.root(), request, HEADERS);
    Span span = start(request, parent);
    Ending ending = new Ending(span, response);
    request.setAttribute(SPAN, span);
    try (Scope scope = parent.with(span).makeCurrent();
        TraceMdc mdc = TraceMdc.put(span.getSpanContext())) {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      ending.failed(e);
      ending.end(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      throw e;
    }
    if (request.isAsyncStarted()) {
      request.getAsyncContext().addListener(ending);
    } else {
      ending.end(response.getStatus());
    }
  }

  private Span start(HttpServletRequest request, Context parent) {
    String method = request.getMethod();
    boolean known = METHODS.contains(method);
    SpanBuilder span =
        tracer
            .spanBuilder(known ? method : "HTTP")
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(SpanAttributes.HTTP_REQUEST_METHOD, known ? method : "_OTHER")
            .setAttribute(SpanAttributes.URL_PATH, request.getRequestURI())
            .setAttribute(SpanAttributes.URL_SCHEME, request.getScheme())
            .setAttribute(SpanAttributes.SERVER_ADDRESS, request.getServerName())
            .setAttribute(SpanAttributes.SERVER_PORT, (long) request.getServerPort())
            .setAttribute(SpanAttributes.NETWORK_PEER_ADDRESS, request.getRemoteAddr());
    if (!known) {
      span.setAttribute(SpanAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    String protocol = request.getProtocol();
    if (protocol != null && protocol.startsWith("HTTP/")) {
      span.setAttribute(SpanAttributes.NETWORK_PROTOCOL_VERSION, protocol.substring(5));
    }
    String userAgent = request.getHeader("User-Agent");
    if (userAgent != null) {
      span.setAttribute(SpanAttributes.USER_AGENT_ORIGINAL, userAgent);
    }
    return span.startSpan();
  }

  /** Ends the span once, with the response's status, when the request completes. */
  private static final class Ending implements AsyncListener {

    private final Span span;
    private final HttpServletResponse response;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean failed;

    Ending(Span span, HttpServletResponse response) {
      this.span = span;
      this.response = response;
    }

    void failed(Throwable failure) {
      Spans.failed(span, failure);
      failed = true;
    }

    void end(int status) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      span.setAttribute(SpanAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
      if (status >= 500 && !failed) {
        // A server span fails on 5xx only: a 4xx is the client's error (semantic conventions).
        span.setAttribute(SpanAttributes.ERROR_TYPE, String.valueOf(status));
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
      end(response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      end(response.getStatus());
    }

    @Override
    public void onError(AsyncEvent event) {
      if (event.getThrowable() != null) {
        failed(event.getThrowable());
      }
      end(response.getStatus() < 400 ? 500 : response.getStatus());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
