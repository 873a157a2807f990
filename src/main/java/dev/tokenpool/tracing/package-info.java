/**
 * OpenTelemetry traces: the SDK configured by the standard OTEL_* settings and off unless they ask
 * for an export, the HTTP server span of each request, spans of the activation transaction, the
 * expiry batches and the job runs, and the JDBC statements under them; trace and span ids in the
 * log's MDC.
 */
package dev.tokenpool.tracing;
