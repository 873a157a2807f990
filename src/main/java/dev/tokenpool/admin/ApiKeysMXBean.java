package dev.tokenpool.admin;

import java.util.List;

/**
 * The token API's keys over JMX ({@code dev.tokenpool:type=ApiKeys,node=<node id>}), as the admin
 * API offers them. Keys are cluster-wide: any node's bean sees and changes the same ones.
 */
public interface ApiKeysMXBean {

  /** Every key: id, name, scope, creation and last use; never a secret. */
  List<ApiKeyInfo> getApiKeys();

  /**
   * Creates a key with scope {@code tokens}, {@code tokens:any-user} or {@code tokens:admin}; the
   * answer is {@code <id> <key>}, the key shown this once.
   */
  String createApiKey(String name, String scope);

  /** Deletes (revokes) the key of this id on every node. */
  void deleteApiKey(String id);

  /** One key as JMX shows it (a composite of these getters). */
  record ApiKeyInfo(
      String id, String name, String scope, String createdAt, String createdBy, String lastUsedAt) {

    public String getId() {
      return id;
    }

    public String getName() {
      return name;
    }

    public String getScope() {
      return scope;
    }

    public String getCreatedAt() {
      return createdAt;
    }

    public String getCreatedBy() {
      return createdBy;
    }

    public String getLastUsedAt() {
      return lastUsedAt;
    }
  }
}
