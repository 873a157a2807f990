package dev.tokenpool.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/tokens/activate}; fields stay text so errors can name them. All are
 * optional but {@code user_id} for a service: {@code lease} (ISO-8601 duration), {@code on_full}
 * ({@code evict}, {@code fail} or {@code wait}) and {@code wait} (ISO-8601 duration, with {@code
 * on_full: wait}; {@code waitFor} here, as a record may not name a component {@code wait}).
 */
public record ActivationRequest(
    String userId, String lease, String onFull, @JsonProperty("wait") String waitFor) {}
