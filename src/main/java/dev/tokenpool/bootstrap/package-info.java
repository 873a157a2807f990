/**
 * The composition root: reads the configuration, builds the object graph with constructors, and
 * ties it to the servlet container's lifecycle.
 */
package dev.tokenpool.bootstrap;
