package dev.parley.node.downing;

import java.lang.reflect.Constructor;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.Member;
import org.slf4j.LoggerFactory;

/**
 * The Pekko-internal messages {@link DeadProcessTakeover} sends. Java cannot name Scala's
 * classes inside a {@code private[pekko] object}, so they are made reflectively. Should a Pekko
 * version rename them, the takeover is off and failovers wait the removal margin, as Pekko's own.
 * {@code DeadProcessTakeoverTest} fails then.
 */
final class PekkoInternals {

  private static final Constructor<?> DELAYED_MEMBER_REMOVED =
      constructor("org.apache.pekko.cluster.singleton.ClusterSingletonManager$Internal$DelayedMemberRemoved", Member.class);
  private static final Constructor<?> REGION_STOPPED =
      constructor("org.apache.pekko.cluster.sharding.ShardCoordinator$Internal$RegionStopped", ActorRef.class);

  private static final Object STATE_INITIALIZED =
      singleton("org.apache.pekko.cluster.sharding.ShardCoordinator$Internal$StateInitialized$");

  static final boolean AVAILABLE = DELAYED_MEMBER_REMOVED != null && REGION_STOPPED != null;

  private PekkoInternals() {}

  /** What a singleton manager sends itself once the removal margin after a member's removal is over. */
  static Object delayedMemberRemoved(Member member) {
    return create(DELAYED_MEMBER_REMOVED, member);
  }

  /** What a shard region tells its coordinator when it stops gracefully: its shards may go elsewhere. */
  static Object regionStopped(ActorRef region) {
    return create(REGION_STOPPED, region);
  }

  /**
   * What a new shard coordinator sends itself 500 ms after it read its state, to start answering
   * where shards live; empty if this Pekko has no such message.
   */
  static java.util.Optional<Object> stateInitialized() {
    return java.util.Optional.ofNullable(STATE_INITIALIZED);
  }

  private static Object create(Constructor<?> constructor, Object argument) {
    try {
      return constructor.newInstance(argument);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Pekko's " + constructor.getDeclaringClass().getName() + " changed", e);
    }
  }

  private static Object singleton(String className) {
    try {
      return Class.forName(className).getField("MODULE$").get(null);
    } catch (ReflectiveOperationException e) {
      LoggerFactory.getLogger(PekkoInternals.class).warn("Pekko has no {} any more: a coordinator that moved off a "
          + "dead process waits Pekko's 500 ms before it answers.", className);
      return null;
    }
  }

  private static Constructor<?> constructor(String className, Class<?> parameter) {
    try {
      return Class.forName(className).getConstructor(parameter);
    } catch (ReflectiveOperationException e) {
      LoggerFactory.getLogger(PekkoInternals.class).warn("Pekko has no {}({}) any more: a dead process's shards "
          + "move only after the removal margin.", className, parameter.getSimpleName());
      return null;
    }
  }
}
