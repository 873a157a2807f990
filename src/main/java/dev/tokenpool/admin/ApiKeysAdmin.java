package dev.tokenpool.admin;

import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.security.IssuedApiKey;
import dev.tokenpool.tokens.UserIds;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ApiKeysMXBean} over the key store; every change goes to the audit log as "jmx". */
final class ApiKeysAdmin implements ApiKeysMXBean {

  private final ApiKeys keys;
  private final AuditLog audit;

  ApiKeysAdmin(ApiKeys keys, AuditLog audit) {
    this.keys = keys;
    this.audit = audit;
  }

  @Override
  public List<ApiKeyInfo> getApiKeys() {
    return keys.list().stream()
        .map(
            k ->
                new ApiKeyInfo(
                    k.id(),
                    k.name(),
                    k.scope().scope(),
                    k.createdAt().toString(),
                    k.createdBy(),
                    k.lastUsedAt().map(Instant::toString).orElse("")))
        .toList();
  }

  @Override
  public String createApiKey(String name, String scope) {
    UserIds.problemWith(name)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException("name " + problem);
            });
    ClientRole role =
        ClientRole.ofScope(scope)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "scope must be one of tokens, tokens:any-user, tokens:admin"));
    IssuedApiKey issued = keys.create(name, role, Optional.empty(), "jmx");
    audit.record("api-key-create", "jmx", "jmx", "id", issued.key().id(), "name", name);
    return issued.key().id() + " " + issued.secret();
  }

  @Override
  public void deleteApiKey(String id) {
    keys.delete(id);
    audit.record("api-key-delete", "jmx", "jmx", "id", id);
  }
}
