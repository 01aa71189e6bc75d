package dev.parley.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import com.typesafe.config.Config;

/**
 * Checks the node's own ports before anything starts, so that a second node on the same ports
 * (two ./run in two terminals) stops at once with the port and the setting to change.
 */
final class PortPreflight {

  private PortPreflight() {}

  static void requireFree(Config config) {
    require(config.getString("parley.http.interface"), config.getInt("parley.http.port"),
        "HTTP", "PARLEY_HTTP_PORT");
    require(config.getString("pekko.remote.artery.bind.hostname"), config.getInt("parley.cluster.port"),
        "cluster (Pekko remoting)", "PARLEY_CLUSTER_PORT");
    if (config.getBoolean("parley.management.enabled")) {
      require(config.getString("pekko.management.http.bind-hostname"), config.getInt("pekko.management.http.port"),
          "management", "PARLEY_MANAGEMENT_PORT");
    }
  }

  private static void require(String host, int port, String what, String envVar) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host.isBlank() ? "0.0.0.0" : host, port));
    } catch (IOException e) {
      throw new IllegalArgumentException("the " + what + " port " + host + ":" + port
          + " is already in use (is another node running?). Stop it or set " + envVar + ".");
    }
  }
}
