package dev.parley.registry.keys;

/** Who a request acts for: an org, through one kind of key (identified by its hash). */
public record Principal(String orgId, KeyKind kind, String keyHash) {}
