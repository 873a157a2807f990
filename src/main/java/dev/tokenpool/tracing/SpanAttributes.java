package dev.tokenpool.tracing;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes tokenpool's spans carry: the semantic conventions' HTTP names, and tokenpool's own
 * under {@code tokenpool.}. None holds a secret: no header but the user agent, no query string, no
 * user id or token.
 */
final class SpanAttributes {

  static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      stringKey("http.request.method_original");
  static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = longKey("http.response.status_code");
  static final AttributeKey<String> URL_PATH = stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = stringKey("url.scheme");
  static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  static final AttributeKey<String> NETWORK_PEER_ADDRESS = stringKey("network.peer.address");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION =
      stringKey("network.protocol.version");
  static final AttributeKey<String> USER_AGENT_ORIGINAL = stringKey("user_agent.original");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  static final AttributeKey<String> POOL = stringKey("tokenpool.pool");
  static final AttributeKey<Long> EXPIRY_ENDED = longKey("tokenpool.expiry.ended");
  static final AttributeKey<String> JOB_NAME = stringKey("tokenpool.job.name");
  static final AttributeKey<String> JOB_RUN_ID = stringKey("tokenpool.job.run_id");
  static final AttributeKey<Long> JOB_COUNT = longKey("tokenpool.job.count");

  private SpanAttributes() {}
}
