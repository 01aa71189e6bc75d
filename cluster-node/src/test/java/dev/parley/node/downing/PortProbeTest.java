package dev.parley.node.downing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A port with a listener answers; the same port once closed refuses, the only proof of a dead process. */
class PortProbeTest {

  @Test
  void aListeningPortAnswersAndAClosedOneRefuses() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = server.getLocalPort();
      assertEquals(PortProbe.Result.LISTENING, PortProbe.probe("127.0.0.1", port, Duration.ofSeconds(5)));
    }
    assertEquals(PortProbe.Result.REFUSED, PortProbe.probe("127.0.0.1", port, Duration.ofSeconds(5)));
  }
}
