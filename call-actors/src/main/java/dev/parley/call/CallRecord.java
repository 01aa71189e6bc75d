package dev.parley.call;

import java.time.Instant;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * What a call was created with; never changes. JSON fields are kept as text, as the client sent
 * them: {@code assistantJson} is the effective assistant (the stored or inline one with
 * {@code assistantOverrides} applied), {@code transportJson} includes {@code websocketCallUrl} (without
 * its token: every answer adds a fresh one).
 * {@code assistantId} and the optional JSON fields are null when absent.
 */
public record CallRecord(
    String id,
    String orgId,
    String type,
    String assistantId,
    String assistantJson,
    String assistantOverridesJson,
    String transportJson,
    String customerJson,
    String metadataJson,
    String name,
    Instant createdAt) implements ClusterSerializable {}
