package dev.parley.node.downing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Connects to a host and port once and says what came back. Only a refused connection proves
 * that no process listens there; a timeout or an unreachable network proves nothing.
 */
final class PortProbe {

  enum Result { LISTENING, REFUSED, NO_ANSWER }

  private PortProbe() {}

  /** Blocking for up to {@code timeout}: run it on a blocking dispatcher. */
  static Result probe(String host, int port, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return Result.LISTENING;
    } catch (ConnectException e) {
      // the JDK reports ECONNREFUSED as "Connection refused"; other ConnectExceptions (a timeout
      // of the OS itself) are not proof
      String message = e.getMessage();
      return message != null && message.toLowerCase().contains("refused") ? Result.REFUSED : Result.NO_ANSWER;
    } catch (IOException e) {
      return Result.NO_ANSWER;
    }
  }
}
