package dev.parley.http.ws;

import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;

/**
 * Not a message: a handler of a {@link StrictWebSocket} emits this to close the socket with its
 * own close code and reason (RFC 6455 section 7.4), say 1012 when the node is leaving. Pekko's own
 * message layer can only close with 1000; where it is in use (the fallback), this ends the
 * handler's output and the socket closes with 1000.
 */
public final class SocketClose extends Message {

  private final int code;
  private final String reason;

  private SocketClose(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  /** {@code code} from 1000 to 4999; the reason at most 123 bytes of UTF-8, as a close frame allows. */
  public static SocketClose of(int code, String reason) {
    if (code < 1000 || code > 4999) {
      throw new IllegalArgumentException("a close code is from 1000 to 4999, not " + code);
    }
    if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException("a close reason is at most 123 bytes: " + reason);
    }
    return new SocketClose(code, reason);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  @Override
  public boolean isText() {
    return false;
  }

  @Override
  public boolean isStrict() {
    return true;
  }

  @Override
  public TextMessage asTextMessage() {
    throw new UnsupportedOperationException("a close instruction, not a message");
  }

  @Override
  public BinaryMessage asBinaryMessage() {
    throw new UnsupportedOperationException("a close instruction, not a message");
  }

  @Override
  public org.apache.pekko.http.scaladsl.model.ws.Message asScala() {
    throw new UnsupportedOperationException("a close instruction, not a message");
  }

  @Override
  public String toString() {
    return "SocketClose(" + code + ", " + reason + ")";
  }
}
