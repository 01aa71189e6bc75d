/**
 * The call list: a projection of call events into a per-org Cassandra table, newest first, and the
 * queries behind {@code GET /call}.
 */
package dev.parley.call.readside;
