package dev.parley.persistence.cassandra.embedded;

/** The embedded Cassandra could not start or stop; the message says why and what to do. */
public final class EmbeddedCassandraException extends RuntimeException {

  public EmbeddedCassandraException(String message) {
    super(message);
  }

  public EmbeddedCassandraException(String message, Throwable cause) {
    super(message, cause);
  }
}
