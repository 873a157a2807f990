/**
 * The REST API: thin JAX-RS resources, their JSON documents, and the mapping of every failure to an
 * RFC 9457 problem document.
 */
package dev.tokenpool.api;
