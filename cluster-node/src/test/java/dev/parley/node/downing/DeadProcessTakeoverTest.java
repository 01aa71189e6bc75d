package dev.parley.node.downing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.apache.pekko.actor.UnhandledMessage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real two-member cluster, this JVM and a member process, with a removal margin of a minute:
 * after the member is killed, its shards answer from this JVM well within that minute, whether the
 * dead member was the younger one (this JVM's coordinator lets go of its region at once) or the
 * oldest, which ran the coordinator (this JVM starts a new one at once, and it answers as soon as
 * it has read its state).
 */
class DeadProcessTakeoverTest {

  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final Duration ASK = Duration.ofSeconds(2);

  private ActorTestKit testKit;
  private Process member;

  @AfterEach
  void stop() {
    if (member != null) {
      member.destroyForcibly();
    }
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void aKilledYoungerMembersShardsMoveWithoutTheRemovalMargin() throws Exception {
    testKit = ActorTestKit.create(ShardedMember.SYSTEM, ShardedMember.config(0));
    Cluster cluster = Cluster.get(testKit.system());
    String self = cluster.selfMember().address().toString();
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ShardedMember.start(testKit.system());
    int port = freePort();
    member = startMember(port, self);
    killAndAwaitItsEntityHere(cluster, memberAddress(port), self);
  }

  @Test
  void aKilledOldestMembersCoordinatorsMoveWithoutTheRemovalMargin() throws Exception {
    int port = freePort();
    member = startMember(port, memberAddress(port));
    testKit = ActorTestKit.create(ShardedMember.SYSTEM, ShardedMember.config(0));
    Cluster cluster = Cluster.get(testKit.system());
    String self = cluster.selfMember().address().toString();
    cluster.manager().tell(Join.create(org.apache.pekko.actor.AddressFromURIString.parse(memberAddress(port))));
    ShardedMember.start(testKit.system());
    TestProbe<UnhandledMessage> unhandled = testKit.createTestProbe(UnhandledMessage.class);
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(UnhandledMessage.class, unhandled.getRef()));
    killAndAwaitItsEntityHere(cluster, memberAddress(port), self);
    // The new coordinator was answering before its own 500 ms wait ended: the message that ends the
    // wait, which it sends itself, found it active already (EarlyCoordinatorStart).
    Object stateInitialized = PekkoInternals.stateInitialized().orElseThrow();
    unhandled.fishForMessage(WAIT, "the coordinator's own end of its wait, after it was active", m ->
        m.getMessage() == stateInitialized && m.getSender().equals(m.getRecipient())
            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }

  private void killAndAwaitItsEntityHere(Cluster cluster, String memberAddress, String self) throws Exception {
    awaitTrue(() -> upMembers(cluster) == 2, "both members Up");
    String entity = entityOn(memberAddress);
    // the takeover asks the members for their regions every 500 ms
    Thread.sleep(2_000);
    member.destroyForcibly();
    assertEquals(137, member.waitFor());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> answer = ask(entity);
      if (answer.isPresent()) {
        assertEquals(self, answer.get(), "the entity of the killed member runs here now");
        return;
      }
    }
    throw new AssertionError("entity " + entity + " of the killed member did not answer within " + WAIT
        + " (the removal margin is 60 s)");
  }

  /** An entity whose shard the member process hosts. */
  private String entityOn(String memberAddress) {
    for (int i = 0; i < 200; i++) {
      String entity = "e" + i;
      Optional<String> answer = Optional.empty();
      for (int attempt = 0; attempt < 10 && answer.isEmpty(); attempt++) {
        answer = ask(entity);
      }
      if (answer.orElseThrow(() -> new AssertionError("no answer from " + entity)).equals(memberAddress)) {
        return entity;
      }
    }
    throw new AssertionError("no entity landed on " + memberAddress);
  }

  private Optional<String> ask(String entity) {
    try {
      return Optional.of(ClusterSharding.get(testKit.system()).entityRefFor(ShardedMember.WHERE, entity)
          .<String>ask(replyTo -> replyTo, ASK).toCompletableFuture().get());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static long upMembers(Cluster cluster) {
    return java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private static String memberAddress(int port) {
    return "pekko://" + ShardedMember.SYSTEM + "@127.0.0.1:" + port;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  private static Process startMember(int port, String join) throws Exception {
    return MemberProcesses.start(ShardedMemberProcess.class, Integer.toString(port), join);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    MemberProcesses.awaitTrue(condition, WAIT, what);
  }
}
