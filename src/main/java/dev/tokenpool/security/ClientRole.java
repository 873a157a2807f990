package dev.tokenpool.security;

/** What a client of the token API may do; each role may do all that the ones before it may. */
public enum ClientRole {
  /** An end user: activates, reads and releases its own holding, as its own user id. */
  HOLDER("tokens"),
  /** A backend acting for users it names. */
  SERVICE("tokens:any-user"),
  /** An operator: besides all that, releases any holding, clears the pool, reads everything. */
  OPERATOR("tokens:admin");

  private final String scope;

  ClientRole(String scope) {
    this.scope = scope;
  }

  /** The scope that grants this role: in an API key, and by default in a provider's token. */
  public String scope() {
    return scope;
  }

  /** The role an API key's scope names. */
  public static java.util.Optional<ClientRole> ofScope(String scope) {
    for (ClientRole role : values()) {
      if (role.scope.equals(scope)) {
        return java.util.Optional.of(role);
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether a client of this role may name the user it acts for. */
  public boolean mayNameAnyUser() {
    return this != HOLDER;
  }

  public boolean isAtLeast(ClientRole other) {
    return compareTo(other) >= 0;
  }
}
