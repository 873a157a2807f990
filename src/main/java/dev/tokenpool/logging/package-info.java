/**
 * What every log line says beside its message: the node, the request, the principal, the job run
 * (as SLF4J's MDC), and the JSON shape of a line when {@code TOKENPOOL_LOG_FORMAT=json}.
 */
package dev.tokenpool.logging;
