package dev.parley.registry.resource;

import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** The kinds of configuration object an org keeps; each is its own sharded entity type. */
public enum ResourceKind {
  ASSISTANT("Assistant", "assistant"),
  TOOL("Tool", "tool"),
  SQUAD("Squad", "squad"),
  PHONE_NUMBER("PhoneNumber", "phone-number"),
  CREDENTIAL("Credential", "credential");

  private final String typeName;
  private final String pathSegment;
  private final EntityTypeKey<ResourceEntity.Command> entityKey;

  ResourceKind(String typeName, String pathSegment) {
    this.typeName = typeName;
    this.pathSegment = pathSegment;
    this.entityKey = EntityTypeKey.create(ResourceEntity.Command.class, typeName);
  }

  /** "Assistant", as in Vapi's schema names and our persistence ids ("Assistant|<id>"). */
  public String typeName() {
    return typeName;
  }

  /** "assistant", as in the REST path. */
  public String pathSegment() {
    return pathSegment;
  }

  public EntityTypeKey<ResourceEntity.Command> entityKey() {
    return entityKey;
  }
}
