package dev.tokenpool.api;

import dev.tokenpool.logging.LogFields;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Names the authenticated caller in the servlet request attribute {@value #ATTRIBUTE}, which
 * Tomcat's access log prints with {@code %{tokenpool.principal}r} (deploy/tomcat/server.xml): the
 * log then says who made each request, not only from where. Jersey keeps a servlet request's
 * attributes as its properties. The application's own lines carry the same value as their {@code
 * principal} field. Never a credential: how it was proven and the name it proves.
 */
final class AccessLogPrincipal {

  static final String ATTRIBUTE = "tokenpool.principal";

  private AccessLogPrincipal() {}

  static void record(ContainerRequestContext request, String via, String name) {
    String principal = via + "/" + name;
    request.setProperty(ATTRIBUTE, principal);
    LogFields.principal(principal);
  }
}
