package dev.tokenpool.api;

import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Names the authenticated caller in the servlet request attribute {@value #ATTRIBUTE}, which
 * Tomcat's access log prints with {@code %{tokenpool.principal}r} (deploy/tomcat/server.xml): the
 * log then says who made each request, not only from where. Jersey keeps a servlet request's
 * attributes as its properties. Never a credential: how it was proven and the name it proves.
 */
final class AccessLogPrincipal {

  static final String ATTRIBUTE = "tokenpool.principal";

  private AccessLogPrincipal() {}

  static void record(ContainerRequestContext request, String via, String name) {
    request.setProperty(ATTRIBUTE, via + "/" + name);
  }
}
