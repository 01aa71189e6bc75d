package dev.parley.call;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * One turn's latencies in milliseconds, as Vapi's {@code TurnLatency}: endpointing (caller's
 * speech end -> turn decided), transcriber (speech end -> final transcript), model (request ->
 * first token), voice (first text to the voice -> its first audio), turn (caller's speech end ->
 * first assistant audio sent).
 */
public record TurnLatency(long endpointingMs, long transcriberMs, long modelMs, long voiceMs, long turnMs)
    implements ClusterSerializable {}
