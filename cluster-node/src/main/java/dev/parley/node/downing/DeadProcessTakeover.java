package dev.parley.node.downing;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Moves the shards of a member whose process is gone as soon as it is removed, without the
 * removal margin. The margin ({@code pekko.cluster.down-removal-margin}, in production as long as
 * the split brain resolver's wait) keeps the survivors from starting a node's entities while a
 * node cut off by a network split may still run them. A process whose remoting port refuses
 * connections runs nothing, so for it the margin is only silence on every call it held. Pekko
 * applies the one margin to every removal, in two places: the new oldest node's singleton manager
 * waits it before starting the shard coordinators of a removed oldest node, and a coordinator
 * waits it before giving a removed node's shards to others. This actor ends both waits with the
 * messages they wait for: the manager's delayed removal and the region's stop, which a region
 * sends itself when it stops gracefully. Both are Pekko's internal messages ({@link PekkoInternals}).
 * Coordinators that start here because the oldest node died skip one more wait
 * ({@link EarlyCoordinatorStart}).
 * To name a dead node's regions it must know their references, which it asks every member for
 * while they live.
 */
public final class DeadProcessTakeover extends AbstractBehavior<DeadProcessTakeover.Command> {

  public sealed interface Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private record Identified(ActorIdentity identity) implements Command {}

  private record Probed(Member member, Map<String, ActorRef> regions, PortProbe.Result result) implements Command {}

  private enum AskRegions implements Command { INSTANCE }

  private static final Set<MemberStatus> SINGLETON_CANDIDATES = Set.of(MemberStatus.up(), MemberStatus.leaving());

  private final Cluster cluster;
  private final org.apache.pekko.actor.ActorSystem classic;
  private final ActorRef identities;
  private final Executor blocking;
  private final Duration probeTimeout;
  /** The types whose coordinators answer as soon as they have read their state. */
  private final Set<String> earlyTypes;
  /** How long a new coordinator may take to read its state. */
  private final Duration stateReadTimeout;
  /** The shard regions of the other members, by member address and entity type. */
  private final Map<Address, Map<String, ActorRef>> regions = new HashMap<>();

  /** Starts it with {@link DeadProcessDowning}: both rest on the same proof of a dead process. */
  public static void startIfEnabled(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    var config = system.settings().config().getConfig("parley.cluster.down-dead-processes");
    if (config.getBoolean("enabled")) {
      system.systemActorOf(create(config.getDuration("probe-timeout"), config.getDuration("ask-regions-every"),
              Set.copyOf(config.getStringList("start-coordinators-early")),
              system.settings().config().getDuration("pekko.cluster.sharding.waiting-for-state-timeout")),
          "dead-process-takeover", org.apache.pekko.actor.typed.Props.empty());
    }
  }

  static Behavior<Command> create(Duration probeTimeout, Duration askRegionsEvery, Set<String> earlyTypes,
      Duration stateReadTimeout) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      // regions start after the node joins (once the schema exists): ask again until all are known
      timers.startTimerWithFixedDelay(AskRegions.INSTANCE, askRegionsEvery);
      return new DeadProcessTakeover(context, probeTimeout, earlyTypes, stateReadTimeout);
    }));
  }

  private DeadProcessTakeover(ActorContext<Command> context, Duration probeTimeout, Set<String> earlyTypes,
      Duration stateReadTimeout) {
    super(context);
    context.setLoggerName(DeadProcessTakeover.class);
    this.cluster = Cluster.get(context.getSystem());
    this.classic = Adapter.toClassic(context.getSystem());
    this.identities = Adapter.toClassic(context.messageAdapter(ActorIdentity.class, Identified::new));
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.probeTimeout = probeTimeout;
    this.earlyTypes = earlyTypes;
    this.stateReadTimeout = stateReadTimeout;
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MemberChanged.class, changed -> onMember(changed.event()))
        .onMessage(AskRegions.class, ask -> {
          Set<String> types = ClusterSharding.get(classic).getShardTypeNames();
          cluster.state().getMembers().forEach(member -> {
            if (member.status() == MemberStatus.up()
                && !regions.getOrDefault(member.address(), Map.of()).keySet().containsAll(types)) {
              askRegions(member.address());
            }
          });
          return this;
        })
        .onMessage(Identified.class, this::onIdentified)
        .onMessage(Probed.class, this::onProbed)
        .build();
  }

  private Behavior<Command> onMember(ClusterEvent.MemberEvent event) {
    Member member = event.member();
    if (member.uniqueAddress().equals(cluster.selfMember().uniqueAddress())) {
      return this;
    }
    if (event instanceof ClusterEvent.MemberUp) {
      askRegions(member.address());
    } else if (event instanceof ClusterEvent.MemberRemoved) {
      Map<String, ActorRef> goneRegions = Objects.requireNonNullElse(regions.remove(member.address()), Map.of());
      String host = member.address().getHost().get();
      int port = (Integer) member.address().getPort().get();
      getContext().pipeToSelf(
          CompletableFuture.supplyAsync(() -> PortProbe.probe(host, port, probeTimeout), blocking),
          (result, failure) -> new Probed(member, goneRegions, failure == null ? result : PortProbe.Result.NO_ANSWER));
    }
    return this;
  }

  private void askRegions(Address member) {
    if (member.equals(cluster.selfMember().address())) {
      return;
    }
    classic.actorSelection(member + "/system/sharding/*").tell(new Identify(member.toString()), identities);
  }

  private Behavior<Command> onIdentified(Identified identified) {
    if (!(identified.identity().correlationId() instanceof String from) || identified.identity().getActorRef()
        .isEmpty()) {
      return this;
    }
    Address member = AddressFromURIString.parse(from);
    ActorRef ref = identified.identity().getActorRef().get();
    String type = URLDecoder.decode(ref.path().name(), StandardCharsets.UTF_8);
    // coordinators' singleton managers and replicators live beside the regions: keep the regions
    if (ClusterSharding.get(classic).getShardTypeNames().contains(type) && isMember(member)) {
      regions.computeIfAbsent(member, m -> new HashMap<>()).put(type, ref);
    }
    return this;
  }

  private Behavior<Command> onProbed(Probed probed) {
    Member gone = probed.member();
    if (probed.result() != PortProbe.Result.REFUSED || !PekkoInternals.AVAILABLE) {
      return this;
    }
    Set<String> types = ClusterSharding.get(classic).getShardTypeNames();
    getContext().getLog().info("Node {} was removed and its remoting port refuses connections: {} sharded types "
        + "take over its shards now, without the removal margin.", gone.address(), types.size());
    for (String type : types) {
      // a younger manager only notes the removal; the new oldest one starts the coordinator now,
      // and a new coordinator lets go of regions that are no longer members by itself
      classic.actorSelection("/system/sharding/" + encode(type) + "Coordinator")
          .tell(PekkoInternals.delayedMemberRemoved(gone), ActorRef.noSender());
    }
    if (hostsCoordinators() && cluster.selfMember().isOlderThan(gone)) {
      probed.regions().forEach((type, region) -> classic
          .actorSelection("/system/sharding/" + encode(type) + "Coordinator/singleton/coordinator")
          .tell(PekkoInternals.regionStopped(region), ActorRef.noSender()));
    } else if (hostsCoordinators()) {
      // the coordinators ran on the dead process and start here now
      PekkoInternals.stateInitialized().ifPresent(message -> types.stream().filter(earlyTypes::contains).forEach(
          type -> getContext().spawnAnonymous(EarlyCoordinatorStart.create(type, message, stateReadTimeout))));
    }
    return this;
  }

  /** Whether this node is the oldest of those that may host singletons: the coordinators run here. */
  private boolean hostsCoordinators() {
    Member self = cluster.selfMember();
    for (Member member : cluster.state().getMembers()) {
      if (SINGLETON_CANDIDATES.contains(member.status()) && member.isOlderThan(self)) {
        return false;
      }
    }
    return true;
  }

  private boolean isMember(Address address) {
    for (Member member : cluster.state().getMembers()) {
      if (member.address().equals(address) && member.status() != MemberStatus.removed()) {
        return true;
      }
    }
    return false;
  }

  private static String encode(String type) {
    return URLEncoder.encode(type, StandardCharsets.UTF_8);
  }
}
