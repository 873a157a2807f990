package dev.tokenpool.pools;

import dev.tokenpool.tokens.TokenService;

/** A pool as this node serves it: its definition and the service that gives out its tokens. */
public record PoolHandle(PoolDefinition definition, TokenService tokens) {

  public String name() {
    return definition.name();
  }
}
