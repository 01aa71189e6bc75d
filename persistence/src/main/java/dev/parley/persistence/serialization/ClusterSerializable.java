package dev.parley.persistence.serialization;

/**
 * The one marker for every message that crosses the cluster and every event written to the
 * journal. It is bound to {@link KryoSerializer}; each implementing class must also be given a
 * stable id under {@code parley.serialization.kryo.classes} (see {@link KryoRegistrations}).
 */
public interface ClusterSerializable {}
