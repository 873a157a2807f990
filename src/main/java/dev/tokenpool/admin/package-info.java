/**
 * Operating the service: steering jobs (JMX and the admin API), who may do so, health and metrics.
 */
package dev.tokenpool.admin;
