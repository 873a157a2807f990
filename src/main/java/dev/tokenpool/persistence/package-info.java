/**
 * The database: connection pool or container DataSource, Flyway migrations, the Hibernate session
 * factory and short, retried transactions.
 */
package dev.tokenpool.persistence;
