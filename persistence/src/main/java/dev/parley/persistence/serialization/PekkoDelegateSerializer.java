package dev.parley.persistence.serialization;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes a value Pekko knows how to serialize (stream refs: Pekko's own stream-ref serializer)
 * as that serializer's id, manifest and bytes, so a record of ours can carry it across nodes.
 */
final class PekkoDelegateSerializer<T> extends Serializer<T> {

  private final ExtendedActorSystem system;
  // Resolved lazily: the serializer is built while the actor system is still starting.
  private volatile Serialization serialization;

  PekkoDelegateSerializer(ExtendedActorSystem system) {
    super(false, true);
    this.system = system;
  }

  @Override
  public void write(Kryo kryo, Output output, T value) {
    Serialization pekko = serialization();
    org.apache.pekko.serialization.Serializer serializer = pekko.findSerializerFor(value);
    if (serializer instanceof KryoSerializer) {
      throw new KryoException("Pekko has no serializer of its own for " + value.getClass().getName());
    }
    byte[] bytes = serializer.toBinary(value);
    output.writeInt(serializer.identifier());
    output.writeString(Serializers.manifestFor(serializer, value));
    output.writeInt(bytes.length, true);
    output.writeBytes(bytes);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    int serializerId = input.readInt();
    String manifest = input.readString();
    byte[] bytes = input.readBytes(input.readInt(true));
    return (T) serialization().deserialize(bytes, serializerId, manifest).get();
  }

  private Serialization serialization() {
    Serialization current = serialization;
    if (current == null) {
      current = SerializationExtension.get(system);
      serialization = current;
    }
    return current;
  }
}
