package dev.parley.registry.keys;

import dev.parley.persistence.serialization.ClusterSerializable;

/** Who a request acts for: an org, through one kind of key (identified by its hash). */
public record Principal(String orgId, KeyKind kind, String keyHash) implements ClusterSerializable {}
