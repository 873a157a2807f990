/** Cluster tests: several scheduler instances, in this JVM and in forked ones, on one MariaDB. */
package dev.tokenpool.cluster;
