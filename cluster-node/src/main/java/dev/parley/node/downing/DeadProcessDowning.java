package dev.parley.node.downing;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

import com.typesafe.config.Config;

import scala.Option;

/**
 * Downs a cluster member as soon as its process is gone, instead of after failure detection and
 * the split brain resolver's wait: a failover is then limited by the removal margin and the
 * call's restart, not by timeouts. Each node holds an idle TCP connection to every other member's
 * remoting port, and the kernel closes it the moment that process dies (kill -9, a crash, an OOM
 * kill). The close is only a hint: the node then connects to the port afresh, and only a refused
 * connection downs the member, because nothing listens there, so that incarnation cannot be
 * running. An unreachable member is probed the same way. A member that does not answer at all (a
 * dead machine, a network split) is left to the split brain resolver.
 */
public final class DeadProcessDowning extends AbstractBehavior<DeadProcessDowning.Command> {

  public sealed interface Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private record Unreachable(ClusterEvent.UnreachableMember event) implements Command {}

  private record WatchEnded(UniqueAddress node, long watchId) implements Command {}

  private record Probed(UniqueAddress node, PortProbe.Result result) implements Command {}

  private record Rewatch(UniqueAddress node) implements Command {}

  private record Watch(long id, CompletableFuture<Optional<ByteString>> keepOpen) {}

  /** Statuses after which a member is on its way out anyway: nothing left to watch. */
  private static final Set<MemberStatus> GONE = Set.of(MemberStatus.down(), MemberStatus.exiting(),
      MemberStatus.removed());

  private final Cluster cluster;
  private final TimerScheduler<Command> timers;
  private final Executor blocking;
  private final Duration probeTimeout;
  private final Duration rewatchAfter;
  private final Map<UniqueAddress, Watch> watches = new HashMap<>();
  private final Set<UniqueAddress> probing = new HashSet<>();
  /** Downed here: until the membership says so, other events must not watch or down them again. */
  private final Set<UniqueAddress> downed = new HashSet<>();
  private long nextWatchId;

  /** Starts it on the node when {@code parley.cluster.down-dead-processes.enabled} is on. */
  public static void startIfEnabled(ActorSystem<?> system) {
    Config config = system.settings().config().getConfig("parley.cluster.down-dead-processes");
    if (config.getBoolean("enabled")) {
      system.systemActorOf(create(config.getDuration("probe-timeout"), config.getDuration("rewatch-after")),
          "dead-process-downing", org.apache.pekko.actor.typed.Props.empty());
    }
  }

  static Behavior<Command> create(Duration probeTimeout, Duration rewatchAfter) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new DeadProcessDowning(context, timers, probeTimeout, rewatchAfter)));
  }

  private DeadProcessDowning(ActorContext<Command> context, TimerScheduler<Command> timers, Duration probeTimeout,
      Duration rewatchAfter) {
    super(context);
    this.cluster = Cluster.get(context.getSystem());
    this.timers = timers;
    this.probeTimeout = probeTimeout;
    this.rewatchAfter = rewatchAfter;
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.UnreachableMember.class, Unreachable::new),
        ClusterEvent.UnreachableMember.class));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MemberChanged.class, changed -> onMember(changed.event().member()))
        .onMessage(Unreachable.class, unreachable -> probe(unreachable.event().member().uniqueAddress()))
        .onMessage(WatchEnded.class, this::onWatchEnded)
        .onMessage(Probed.class, this::onProbed)
        .onMessage(Rewatch.class, rewatch -> {
          current(rewatch.node()).ifPresent(this::watch);
          return this;
        })
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, stop -> {
          watches.values().forEach(w -> w.keepOpen().complete(Optional.empty()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onMember(Member member) {
    if (GONE.contains(member.status())) {
      if (member.status() == MemberStatus.removed()) {
        downed.remove(member.uniqueAddress());
      }
      Watch watch = watches.remove(member.uniqueAddress());
      if (watch != null) {
        watch.keepOpen().complete(Optional.empty());
      }
    } else {
      watch(member);
    }
    return this;
  }

  private void watch(Member member) {
    UniqueAddress node = member.uniqueAddress();
    if (node.equals(cluster.selfMember().uniqueAddress()) || watches.containsKey(node) || probing.contains(node)
        || downed.contains(node)) {
      return;
    }
    long id = nextWatchId++;
    var running = Source.<ByteString>maybe()
        .via(Tcp.get(getContext().getSystem()).outgoingConnection(remotingAddress(node), Optional.empty(), List.of(),
            false, Optional.of(probeTimeout), Optional.empty()))
        .toMat(Sink.ignore(), Keep.both())
        .run(getContext().getSystem());
    watches.put(node, new Watch(id, running.first()));
    var self = getContext().getSelf();
    running.second().whenComplete((done, failure) -> self.tell(new WatchEnded(node, id)));
  }

  private Behavior<Command> onWatchEnded(WatchEnded ended) {
    Watch watch = watches.get(ended.node());
    if (watch != null && watch.id() == ended.watchId()) {
      watches.remove(ended.node());
      probe(ended.node());
    }
    return this;
  }

  private Behavior<Command> probe(UniqueAddress node) {
    if (current(node).isEmpty() || downed.contains(node) || !probing.add(node)) {
      return this;
    }
    InetSocketAddress target = remotingAddress(node);
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> PortProbe.probe(target.getHostString(), target.getPort(), probeTimeout),
            blocking),
        (result, failure) -> new Probed(node, failure == null ? result : PortProbe.Result.NO_ANSWER));
    return this;
  }

  private Behavior<Command> onProbed(Probed probed) {
    probing.remove(probed.node());
    Optional<Member> member = current(probed.node());
    if (member.isEmpty()) {
      return this;
    }
    if (probed.result() == PortProbe.Result.REFUSED) {
      down(member.get());
    } else {
      timers.startSingleTimer(new Rewatch(probed.node()), rewatchAfter);
    }
    return this;
  }

  private void down(Member member) {
    downed.add(member.uniqueAddress());
    getContext().getLog().warn("Node {} is gone: its remoting port refuses connections. Downing it now, "
        + "without waiting for failure detection.", member.address());
    // Quarantine marks the node terminated in the membership, so the leader removes it once it is
    // down instead of waiting for the failure detector to call it unreachable. Pekko has no public
    // API for it; the remote provider's method is what its own cluster code uses.
    var provider = ((ExtendedActorSystem) Adapter.toClassic(getContext().getSystem())).provider();
    if (provider instanceof RemoteActorRefProvider remote) {
      remote.quarantine(member.address(), Option.apply((Object) member.uniqueAddress().longUid()),
          "its process is gone (remoting port refuses connections)");
    }
    cluster.manager().tell(new Down(member.address()));
  }

  /** The member with this incarnation, unless it is already on its way out. */
  private Optional<Member> current(UniqueAddress node) {
    for (Member member : cluster.state().getMembers()) {
      if (member.uniqueAddress().equals(node)) {
        return GONE.contains(member.status()) ? Optional.empty() : Optional.of(member);
      }
    }
    return Optional.empty();
  }

  private static InetSocketAddress remotingAddress(UniqueAddress node) {
    return InetSocketAddress.createUnresolved(node.address().getHost().get(), (Integer) node.address().getPort().get());
  }
}
