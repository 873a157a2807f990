/** An Arquillian container that deploys the real WAR into embedded Jetty 12 (ee10, Servlet 6.0). */
package dev.tokenpool.testing.jetty;
