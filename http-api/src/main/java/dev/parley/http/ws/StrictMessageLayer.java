package dev.parley.http.ws;

import java.time.Duration;
import java.util.ArrayDeque;

import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameHandler;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.WebSocket;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.scaladsl.model.ws.PeerClosedConnectionException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

import scala.Option;

/**
 * Pekko HTTP's WebSocket message layer without its substreams: between Pekko's frame handling
 * (control frames, UTF-8, close handshake) and the handler, whole messages only.
 *
 * <p>Pekko's own layer opens a substream for every incoming message and another for every
 * outgoing one, and cancels a third: for a caller sending 50 audio frames a second that was about
 * a quarter of the node's CPU. Here a message's parts are collected into one strict message (a
 * message longer than {@code maxMessageBytes} reaches the handler cut to {@code maxMessageBytes + 1},
 * so that the handler can refuse it without the node holding all of it), and the handler's strict
 * messages become single frames. A streamed message from the handler fails the connection: the
 * handler must send strict ones.
 *
 * <p>The events this layer exchanges with Pekko's frame handler are Pekko's internal API (see
 * {@link StrictWebSocket}); the layer passes close and ping events through as Pekko's does.
 */
final class StrictMessageLayer extends GraphStage<BidiShape<FrameHandler.Output, Message, Message, Object>> {

  /** Outgoing control events queued beyond this stop the reading of frames until they are sent. */
  private static final int MAX_PENDING = 16;
  private static final Protocol.Opcode TEXT = Protocol.Opcode$.MODULE$.forCode((byte) 0x1);
  private static final Protocol.Opcode BINARY = Protocol.Opcode$.MODULE$.forCode((byte) 0x2);

  private final Inlet<FrameHandler.Output> fromFrames = Inlet.create("StrictMessageLayer.fromFrames");
  private final Outlet<Message> toHandler = Outlet.create("StrictMessageLayer.toHandler");
  private final Inlet<Message> fromHandler = Inlet.create("StrictMessageLayer.fromHandler");
  private final Outlet<Object> toFrames = Outlet.create("StrictMessageLayer.toFrames");
  private final BidiShape<FrameHandler.Output, Message, Message, Object> shape =
      BidiShape.of(fromFrames, toHandler, fromHandler, toFrames);
  private final int maxMessageBytes;
  private final Duration closeTimeout;

  StrictMessageLayer(int maxMessageBytes, Duration closeTimeout) {
    this.maxMessageBytes = maxMessageBytes;
    this.closeTimeout = closeTimeout;
  }

  @Override
  public BidiShape<FrameHandler.Output, Message, Message, Object> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("strict-ws-messages");
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private final ArrayDeque<Object> pending = new ArrayDeque<>();
      private ByteStringBuilder binary;
      private StringBuilder text;
      private boolean inMessage;
      private boolean ticking;

      {
        setHandler(fromFrames, new AbstractInHandler() {
          @Override
          public void onPush() {
            onFrameEvent(grab(fromFrames));
          }

          @Override
          public void onUpstreamFinish() {
            if (!isClosed(toHandler)) {
              complete(toHandler);
            }
            if (isClosed(fromHandler) && pending.isEmpty()) {
              complete(toFrames);
            }
          }
        });
        setHandler(toHandler, new AbstractOutHandler() {
          @Override
          public void onPull() {
            readFrames();
          }

          // The handler stopped reading: frames are still read, so that pings and the close
          // handshake are still answered.
          @Override
          public void onDownstreamFinish(Throwable cause) {
            readFrames();
          }
        });
        setHandler(fromHandler, new AbstractInHandler() {
          @Override
          public void onPush() {
            Message message = grab(fromHandler);
            if (message instanceof SocketClose close) {
              // Pekko's frame output handler sends the close frame and waits for the peer's
              send(new FrameHandler.ActivelyCloseWithCode(Option.apply((Object) close.code()), close.reason()));
              startTicks();
            } else {
              send(frameOf(message));
            }
          }

          @Override
          public void onUpstreamFinish() {
            send(FrameHandler.UserHandlerCompleted$.MODULE$);
            startTicks();
          }

          @Override
          public void onUpstreamFailure(Throwable failure) {
            send(new FrameHandler.UserHandlerErredOut(failure));
            startTicks();
          }
        });
        setHandler(toFrames, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!pending.isEmpty()) {
              push(toFrames, pending.poll());
              readFrames();
            } else if (isClosed(fromHandler) && isClosed(fromFrames)) {
              completeStage();
            } else if (!hasBeenPulled(fromHandler) && !isClosed(fromHandler)) {
              pull(fromHandler);
            }
          }
        });
      }

      private void onFrameEvent(FrameHandler.Output event) {
        if (event instanceof FrameHandler.BinaryMessagePart part) {
          collectBinary(part.data());
          if (part.last()) {
            deliver(BinaryMessage.create(binary.result()));
            binary = null;
          }
        } else if (event instanceof FrameHandler.TextMessagePart part) {
          collectText(part.data());
          if (part.last()) {
            deliver(TextMessage.create(text.toString()));
            text = null;
          }
        } else if (event instanceof FrameHandler.PeerClosed closed) {
          send(closed);
          startTicks();
          if (isClosed(toHandler)) {
            // the handler stopped reading before: nothing to tell it
          } else if (closed.code().isDefined() && Protocol.CloseCodes$.MODULE$.isError((Integer) closed.code().get())) {
            fail(toHandler, new PeerClosedConnectionException((Integer) closed.code().get(), closed.reason()));
          } else if (inMessage) {
            fail(toHandler, new IllegalStateException("Truncated message: the peer closed the connection inside it"));
          } else {
            complete(toHandler);
          }
        } else if (event instanceof FrameHandler.ActivelyCloseWithCode close) {
          send(close);
          startTicks();
          if (!isClosed(toHandler)) {
            fail(toHandler, new IllegalStateException("WebSocket protocol error: closing with code "
                + (close.code().isDefined() ? close.code().get() : "none") + " " + close.reason()));
          }
        } else if (event instanceof FrameHandler.BypassEvent bypass) {
          send(bypass);
        }
        // MessageEnd follows every last part: nothing to do
        readFrames();
      }

      private void collectBinary(ByteString data) {
        if (binary == null) {
          binary = new ByteStringBuilder();
          inMessage = true;
        }
        int room = maxMessageBytes + 1 - binary.length();
        binary.append(data.size() > room ? data.take(Math.max(room, 0)) : data);
      }

      private void collectText(String data) {
        if (text == null) {
          text = new StringBuilder();
          inMessage = true;
        }
        int room = maxMessageBytes + 1 - text.length();
        text.append(data, 0, Math.min(data.length(), Math.max(room, 0)));
      }

      private void deliver(Message message) {
        inMessage = false;
        if (!isClosed(toHandler)) {
          push(toHandler, message);
        }
      }

      /** Reads the next frame event when the handler wants a message, or reads on when it stopped. */
      private void readFrames() {
        boolean wanted = isClosed(toHandler) || isAvailable(toHandler);
        if (wanted && pending.size() < MAX_PENDING && !hasBeenPulled(fromFrames) && !isClosed(fromFrames)) {
          pull(fromFrames);
        }
      }

      private void send(Object frameInput) {
        if (isAvailable(toFrames) && pending.isEmpty()) {
          push(toFrames, frameInput);
        } else {
          pending.add(frameInput);
        }
      }

      /** Pekko's frame output handler times the close handshake out on these ticks. */
      private void startTicks() {
        if (!ticking) {
          ticking = true;
          scheduleWithFixedDelay("close-tick", closeTimeout, closeTimeout);
        }
      }

      @Override
      public void onTimer(Object key) {
        if (isAvailable(toFrames) && pending.isEmpty()) {
          push(toFrames, WebSocket.Tick$.MODULE$);
        }
      }
    };
  }

  /** A strict message as one frame; Pekko's frame output handler takes frames as they are. */
  static Object frameOf(Message message) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      if (text.isStrict()) {
        return FrameEvent$.MODULE$.fullFrame(TEXT, Option.empty(),
            ByteString.fromString(text.getStrictText()), true, false, false, false);
      }
    } else {
      BinaryMessage data = message.asBinaryMessage();
      if (data.isStrict()) {
        return FrameEvent$.MODULE$.fullFrame(BINARY, Option.empty(), data.getStrictData(),
            true, false, false, false);
      }
    }
    throw new IllegalArgumentException("this WebSocket sends strict messages only, not streamed ones");
  }
}
