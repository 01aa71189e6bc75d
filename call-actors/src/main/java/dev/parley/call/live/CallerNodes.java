package dev.parley.call.live;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** Which cluster node a caller's connection came from, and whether that node is gone. */
final class CallerNodes {

  private CallerNodes() {}

  /**
   * The node of whoever asked with {@code replyTo}, the node that holds the caller's socket; null
   * for this node.
   */
  static Address of(ActorRef<?> replyTo) {
    Address address = replyTo.path().address();
    return address.hasGlobalScope() ? address : null;
  }

  /**
   * Whether {@code node} is downed or no longer a member: nothing runs there any more (a downed
   * node stops itself). A node that is only unreachable may still hold its callers.
   */
  static boolean isDown(ActorSystem<?> system, Address node) {
    if (node == null) {
      return false;
    }
    Cluster cluster = Cluster.get(system);
    if (node.equals(cluster.selfMember().address())) {
      return false;
    }
    for (Member member : cluster.state().getMembers()) {
      if (member.address().equals(node)) {
        return member.status() == MemberStatus.down() || member.status() == MemberStatus.removed();
      }
    }
    return true;
  }
}
