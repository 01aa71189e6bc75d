package dev.parley.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;

/**
 * Kryo that treats every implementation of Pekko's actor reference interfaces as the interface
 * itself, so one registration covers local, remote and adapted references; stream refs likewise.
 */
final class ActorRefAwareKryo extends Kryo {

  @Override
  @SuppressWarnings("rawtypes")
  public Registration getRegistration(Class type) {
    if (type != org.apache.pekko.actor.typed.ActorRef.class
        && org.apache.pekko.actor.typed.ActorRef.class.isAssignableFrom(type)) {
      return super.getRegistration(org.apache.pekko.actor.typed.ActorRef.class);
    }
    if (type != org.apache.pekko.actor.ActorRef.class
        && org.apache.pekko.actor.ActorRef.class.isAssignableFrom(type)) {
      return super.getRegistration(org.apache.pekko.actor.ActorRef.class);
    }
    if (type != org.apache.pekko.stream.SinkRef.class && org.apache.pekko.stream.SinkRef.class.isAssignableFrom(type)) {
      return super.getRegistration(org.apache.pekko.stream.SinkRef.class);
    }
    if (type != org.apache.pekko.stream.SourceRef.class
        && org.apache.pekko.stream.SourceRef.class.isAssignableFrom(type)) {
      return super.getRegistration(org.apache.pekko.stream.SourceRef.class);
    }
    return super.getRegistration(type);
  }
}
