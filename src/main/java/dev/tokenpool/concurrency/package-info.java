/** The node's own background threads: how they are made and stopped. */
package dev.tokenpool.concurrency;
