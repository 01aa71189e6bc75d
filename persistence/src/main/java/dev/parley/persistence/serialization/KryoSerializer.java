package dev.parley.persistence.serialization;

import java.io.NotSerializableException;
import java.util.Map;
import java.util.UUID;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.Pool;

/**
 * Pekko serializer for {@link ClusterSerializable}: Kryo with every class registered under a
 * stable id ({@link KryoRegistrations}), so bytes hold ids rather than class names and an
 * unregistered class fails loudly instead of writing its name into the journal.
 * Actor references travel as their serialized paths.
 */
public final class KryoSerializer extends JSerializer {

  /** Written next to every serialized message; never change it once data exists. */
  public static final int IDENTIFIER = 7_311_001;

  private static final int INITIAL_BUFFER = 4 * 1024;
  private static final int MAX_BUFFER = 16 * 1024 * 1024;

  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;

  public KryoSerializer(ExtendedActorSystem system) {
    KryoRegistrations registrations =
        KryoRegistrations.fromConfig(system.settings().config(), system.dynamicAccess().classLoader());
    ActorRefSerializers actorRefs = new ActorRefSerializers(system);
    int cores = Runtime.getRuntime().availableProcessors();
    this.kryos = new Pool<>(true, false, cores * 4) {
      @Override
      protected Kryo create() {
        return newKryo(registrations, actorRefs, system);
      }
    };
    this.outputs = new Pool<>(true, false, cores * 4) {
      @Override
      protected Output create() {
        return new Output(INITIAL_BUFFER, MAX_BUFFER);
      }
    };
    // Fail at start-up, not on the first message, when the registrations are wrong.
    kryos.free(kryos.obtain());
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object message) {
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    try {
      output.reset();
      kryo.writeClassAndObject(output, message);
      return output.toBytes();
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot serialize " + message.getClass().getName() + ": " + e.getMessage()
              + ". Every class inside a ClusterSerializable needs an id under "
              + KryoRegistrations.CONFIG_PATH, e);
    } finally {
      outputs.free(output);
      kryos.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = kryos.obtain();
    try {
      return kryo.readClassAndObject(new Input(bytes));
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          new NotSerializableException("Cannot deserialize Kryo bytes: " + e.getMessage()));
    } finally {
      kryos.free(kryo);
    }
  }

  private static Kryo newKryo(KryoRegistrations registrations, ActorRefSerializers actorRefs,
      ExtendedActorSystem system) {
    ClassLoader classLoader = system.dynamicAccess().classLoader();
    Kryo kryo = new ActorRefAwareKryo();
    kryo.setClassLoader(classLoader);
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    // Kryo maps most JDK types to serializers by default; UUID it would take apart by reflection.
    kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    register(kryo, KryoRegistrations.jdkClasses());
    register(kryo, KryoRegistrations.jdkImmutableCollectionClasses());
    kryo.register(
        org.apache.pekko.actor.typed.ActorRef.class, actorRefs.typed(), KryoRegistrations.TYPED_ACTOR_REF_ID);
    kryo.register(
        org.apache.pekko.actor.ActorRef.class, actorRefs.classic(), KryoRegistrations.CLASSIC_ACTOR_REF_ID);
    kryo.register(org.apache.pekko.stream.SinkRef.class, new PekkoDelegateSerializer<>(system),
        KryoRegistrations.SINK_REF_ID);
    kryo.register(org.apache.pekko.stream.SourceRef.class, new PekkoDelegateSerializer<>(system),
        KryoRegistrations.SOURCE_REF_ID);
    register(kryo, registrations.applicationClasses());
    return kryo;
  }

  private static void register(Kryo kryo, Map<Integer, Class<?>> classes) {
    classes.forEach((id, type) -> kryo.register(type, id));
  }
}
