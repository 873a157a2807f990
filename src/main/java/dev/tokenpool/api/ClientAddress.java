package dev.tokenpool.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;

/**
 * The client's network address, as the servlet container saw it, handed to the API as a request
 * attribute (Jersey shows a servlet request's attributes as its properties). Behind a balancer this
 * is the balancer's address unless Tomcat's RemoteIpValve trusts it (docs/security.md).
 */
public final class ClientAddress implements Filter {

  static final String ATTRIBUTE = ClientAddress.class.getName();

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    request.setAttribute(ATTRIBUTE, request.getRemoteAddr());
    chain.doFilter(request, response);
  }

  /** The address, or {@code unknown} where no servlet container serves the request (tests). */
  static String of(ContainerRequestContext request) {
    Object address = request.getProperty(ATTRIBUTE);
    return address == null ? "unknown" : address.toString();
  }
}
