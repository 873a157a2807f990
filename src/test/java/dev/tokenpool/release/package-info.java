/** Tests of the release artifact: the tarball a host with only a Java runtime installs. */
package dev.tokenpool.release;
