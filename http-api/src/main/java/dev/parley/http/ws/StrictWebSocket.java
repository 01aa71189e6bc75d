package dev.parley.http.ws;

import java.time.Duration;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.impl.engine.ws.FrameLogger$;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.impl.engine.ws.WebSocket$;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;
import org.apache.pekko.http.scaladsl.settings.WebSocketSettings;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.scaladsl.BidiFlow;

import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Answers a WebSocket upgrade with a handler of whole (strict) messages, through Pekko HTTP's own
 * framing, masking, frame handling and keep-alive and our {@link StrictMessageLayer} in place of
 * Pekko's per-message substreams. It uses Pekko HTTP's internal frame-level upgrade: when a Pekko
 * HTTP version no longer offers it, the upgrade falls back to Pekko's own message handling (the
 * same behaviour, at Pekko's cost, but every close is 1000), so a dependency update cannot break
 * the socket. A handler closes with a code of its own by emitting a {@link SocketClose}.
 */
public final class StrictWebSocket {

  /** Pekko's own close handshake timeout for server sockets. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

  private final WebSocketSettings settings;
  private final LoggingAdapter log;

  public StrictWebSocket(ClassicActorSystemProvider system) {
    this.settings = ((ServerSettings) ServerSettings.apply(system.classicSystem().settings().config())).websocketSettings();
    this.log = system.classicSystem().log();
  }

  /**
   * The 101 response that runs {@code handler} on the socket; messages longer than
   * {@code maxMessageBytes} reach it cut to {@code maxMessageBytes + 1} bytes (characters for text).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public HttpResponse handle(WebSocketUpgrade upgrade, Flow<Message, Message, ?> handler, int maxMessageBytes) {
    if (!(upgrade instanceof UpgradeToWebSocketLowLevel frames)) {
      return upgrade.handleMessagesWith(handler.takeWhile(message -> !(message instanceof SocketClose)));
    }
    // Scala's variance is invisible to javac: the layers fit, as in Pekko's own WebSocket.stack.
    WebSocket$ ws = WebSocket$.MODULE$;
    BidiFlow stack = ws.masking(true, settings.randomFactory())
        .atop((Graph) FrameLogger$.MODULE$.logFramesIfEnabled(settings.logFrames()))
        .atop((Graph) ws.frameHandling(true, FiniteDuration.fromNanos(CLOSE_TIMEOUT.toNanos()), log))
        .atop((Graph) ws.periodicKeepAlive(settings))
        .atop((Graph) BidiFlow.fromGraph(new StrictMessageLayer(maxMessageBytes, CLOSE_TIMEOUT)));
    return frames.handleFrames((Graph) stack.join((Graph) handler.asScala()), Option.empty());
  }
}
