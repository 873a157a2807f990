/**
 * The job platform: a clustered, persisted Quartz scheduler in every node, the jobs it runs
 * (expiring tokens, pruning run history), and the persisted history of every run.
 */
package dev.tokenpool.jobs;
