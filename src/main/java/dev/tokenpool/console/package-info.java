/** The operator console: a static single-page application that the node serves at /console/. */
package dev.tokenpool.console;
