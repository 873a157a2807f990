package dev.tokenpool.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on loopback, as a collector is to a node: it takes {@code POST
 * /v1/traces} in protobuf, decodes every export with the protocol's own classes
 * (opentelemetry-proto) and keeps the spans, each with the service that sent it.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** A span as it arrived, with the attributes of its resource (and their service.name). */
  public record Received(String service, Map<String, String> resource, Span span) {

    public String traceId() {
      return hex(span.getTraceId().toByteArray());
    }

    public String spanId() {
      return hex(span.getSpanId().toByteArray());
    }

    /** The parent's span id, or "" for a root. */
    public String parentSpanId() {
      return hex(span.getParentSpanId().toByteArray());
    }

    public String name() {
      return span.getName();
    }

    public Span.SpanKind kind() {
      return span.getKind();
    }

    /** The attribute's value as text (a number as its digits), if the span has it. */
    public Optional<String> attribute(String key) {
      return value(span.getAttributesList(), key);
    }

    /** Every attribute value, as text. */
    public List<String> attributeValues() {
      return span.getAttributesList().stream().map(kv -> text(kv.getValue())).toList();
    }

    private static String hex(byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
  }

  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final AtomicInteger exports = new AtomicInteger();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /** A receiver on a free loopback port. */
  public static OtlpReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/v1/traces", receiver::receive);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL, for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the exporter adds /v1/traces). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every span received so far, in order of arrival. */
  public List<Received> spans() {
    return List.copyOf(spans);
  }

  /** The spans received so far from this service. */
  public List<Received> spansOf(String service) {
    return spans.stream().filter(span -> span.service().equals(service)).toList();
  }

  /** How many exports (requests) arrived. */
  public int exports() {
    return exports.get();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      ExportTraceServiceRequest request;
      try (InputStream body = body(exchange)) {
        request = ExportTraceServiceRequest.parseFrom(body);
      }
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        Map<String, String> resource = new HashMap<>();
        resourceSpans
            .getResource()
            .getAttributesList()
            .forEach(kv -> resource.put(kv.getKey(), text(kv.getValue())));
        String service = resource.getOrDefault("service.name", "");
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            spans.add(new Received(service, Map.copyOf(resource), span));
          }
        }
      }
      exports.incrementAndGet();
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
    }
  }

  private static InputStream body(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    return "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
        ? new GZIPInputStream(body)
        : body;
  }

  private static Optional<String> value(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .map(kv -> text(kv.getValue()));
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> String.valueOf(value.getIntValue());
      case BOOL_VALUE -> String.valueOf(value.getBoolValue());
      case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdownNow();
    }
  }
}
