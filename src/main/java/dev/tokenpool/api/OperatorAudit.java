package dev.tokenpool.api;

import dev.tokenpool.security.AuditLog;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Writes every change an operator asks of the operator surface (pause, resume, trigger, expire, API
 * keys, console sessions) to the audit log, with the principal, the path and the answer's status:
 * one place, so no new admin route can forget it.
 */
final class OperatorAudit implements ContainerResponseFilter {

  private final AuditLog audit;

  OperatorAudit(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String method = request.getMethod();
    if (request.getSecurityContext() instanceof OperatorSecurityContext context
        && !HttpMethod.GET.equals(method)
        && !HttpMethod.HEAD.equals(method)) {
      Operator operator = context.operator();
      audit.record(
          "admin",
          operator.name(),
          operator.via(),
          "method",
          method,
          "path",
          "/" + AdminAuthFilter.path(request),
          "status",
          response.getStatus());
    }
  }
}
