package dev.tokenpool.api;

/** How many active usages a clear ended. */
public record ClearResponse(int clearedCount, String status) {

  static ClearResponse of(int cleared) {
    return new ClearResponse(cleared, "ok");
  }
}
