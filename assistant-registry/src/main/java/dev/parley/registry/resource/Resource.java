package dev.parley.registry.resource;

import java.time.Instant;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * One configuration object: the client's fields as a JSON object ({@code body}) plus what the
 * platform owns. In events and state the body of a credential is sealed (encrypted); replies carry
 * it open.
 */
public record Resource(
    ResourceKind kind, String id, String orgId, String body, Instant createdAt, Instant updatedAt)
    implements ClusterSerializable {

  Resource withBody(String newBody, Instant at) {
    return new Resource(kind, id, orgId, newBody, createdAt, at);
  }

  Resource withBody(String newBody) {
    return new Resource(kind, id, orgId, newBody, createdAt, updatedAt);
  }
}
