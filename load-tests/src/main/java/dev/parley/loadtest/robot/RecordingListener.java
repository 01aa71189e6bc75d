package dev.parley.loadtest.robot;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Receives the call's socket into a {@link CallRecording}: binary messages as audio frames, text
 * messages as parsed JSON (text that is not JSON is kept as {@code {"type":"unparsable","text":...}}).
 * Messages may arrive in parts; each is stamped when its last part arrives. How the socket ended
 * goes to {@code ended} (the call's end, or a break to reconnect from: see {@link CallSocket}).
 */
final class RecordingListener implements WebSocket.Listener {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CallRecording recording;
  private final BiConsumer<WebSocket, CloseStatus> ended;
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private final StringBuilder text = new StringBuilder();

  RecordingListener(CallRecording recording, BiConsumer<WebSocket, CloseStatus> ended) {
    this.recording = recording;
    this.ended = ended;
  }

  @Override
  public void onOpen(WebSocket socket) {
    socket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
    byte[] part = new byte[data.remaining()];
    data.get(part);
    if (last && binary.size() == 0) {
      recording.frameReceived(System.nanoTime(), part);
    } else {
      binary.writeBytes(part);
      if (last) {
        recording.frameReceived(System.nanoTime(), binary.toByteArray());
        binary.reset();
      }
    }
    socket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      long now = System.nanoTime();
      recording.messageReceived(now, parse(text.toString()));
      text.setLength(0);
    }
    socket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
    // The JDK client reports a dropped connection as an error or as a 1006 close, whichever it
    // notices first: both are the same failure.
    ended.accept(socket, statusCode == CloseStatus.ABNORMAL
        ? new CloseStatus(System.nanoTime(), CloseStatus.FAILED, "connection lost without a close (1006)")
        : new CloseStatus(System.nanoTime(), statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket socket, Throwable error) {
    ended.accept(socket, new CloseStatus(System.nanoTime(), CloseStatus.FAILED, error.toString()));
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      return JsonNodeFactory.instance.objectNode().put("type", "unparsable").put("text", text);
    }
  }
}
