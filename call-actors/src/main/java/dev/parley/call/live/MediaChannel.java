package dev.parley.call.live;

import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.SourceRef;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * A caller connection's two streams into a call, as stream refs so the connection may live on
 * another node than the call's entity, and the call's transport settings (its audio format).
 */
public record MediaChannel(SinkRef<CallerInput> toCall, SourceRef<CallerOutput> fromCall, String transportJson)
    implements ClusterSerializable {}
