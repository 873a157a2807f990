/** The service's settings: one typed, validated object read from layered sources at startup. */
package dev.tokenpool.config;
