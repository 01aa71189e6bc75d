package dev.parley.node.downing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * A real two-member cluster: this JVM and a member process. The failure detector here allows a
 * 4 s pause and the split brain resolver waits a minute, so only the dead-process path can remove
 * a member within the test's wait.
 */
class DeadProcessDowningTest {

  private static final Duration WAIT = Duration.ofSeconds(40);

  private ActorTestKit testKit;
  private Process member;

  static Config memberConfig() {
    return ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.failure-detector.acceptable-heartbeat-pause = 4s
        pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
        pekko.cluster.split-brain-resolver.stable-after = 60s
        pekko.cluster.split-brain-resolver.active-strategy = keep-oldest
        pekko.loglevel = WARNING
        parley.cluster.down-dead-processes { enabled = on, probe-timeout = 1s, rewatch-after = 1s }
        """);
  }

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
  void aKilledMemberIsRemovedAndAPausedOneIsLeftToTheResolver() throws Exception {
    testKit = ActorTestKit.create("downing", memberConfig().withFallback(ConfigFactory.defaultReference()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    DeadProcessDowning.startIfEnabled(testKit.system());
    member = startMember(cluster.selfMember().address());
    awaitTrue(() -> otherUp(cluster).isPresent(), "the member process Up");
    Member other = otherUp(cluster).orElseThrow();

    // paused, not dead: the kernel still accepts connections on its port, so it stays a member
    // (unreachable) and the resolver's minute is what decides
    signal("STOP");
    awaitTrue(() -> cluster.state().getUnreachable().contains(other), "the paused member unreachable");
    Thread.sleep(3_000);
    assertEquals(MemberStatus.up(), find(cluster, other).orElseThrow().status(), "a paused member is not downed");
    signal("CONT");
    awaitTrue(() -> cluster.state().getUnreachable().isEmpty(), "the member reachable again");

    // SIGKILL: the port is closed, the member is downed and removed long before the resolver's minute
    member.destroyForcibly();
    assertEquals(137, member.waitFor());
    awaitTrue(() -> find(cluster, other).isEmpty(), "the killed member removed");
  }

  private static Process startMember(Address seed) throws Exception {
    return MemberProcesses.start(ClusterMemberProcess.class, seed.toString());
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(member.pid())).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }

  private static Optional<Member> otherUp(Cluster cluster) {
    return java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> !m.equals(cluster.selfMember()) && m.status() == MemberStatus.up())
        .findFirst();
  }

  private static Optional<Member> find(Cluster cluster, Member member) {
    for (Member m : cluster.state().getMembers()) {
      if (m.uniqueAddress().equals(member.uniqueAddress())) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    MemberProcesses.awaitTrue(condition, WAIT, what);
  }
}
