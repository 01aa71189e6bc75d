package dev.parley.http.call;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

import com.typesafe.config.Config;

import dev.parley.call.CallEntity;
import dev.parley.call.CallService;
import dev.parley.call.live.CallerInput;
import dev.parley.call.live.MediaChannel;
import dev.parley.call.live.ServerMessages;
import dev.parley.http.JsonMapper;
import dev.parley.http.api.JsonRoutes;
import dev.parley.http.auth.BearerAuth;
import dev.parley.http.auth.CallTokens;
import dev.parley.http.errors.ErrorResponses;
import dev.parley.http.ws.StrictWebSocket;

/**
 * Vapi's {@code vapi.websocket} transport: {@code GET /call/{id}/transport} upgraded to a WebSocket.
 * The call is joined before the upgrade, so a refusal is a plain HTTP JSON error (401, 404, 409);
 * see {@link BearerAuth#callConnection} for what lets a connection in.
 * Binary frames are audio in the call's format, text frames are control messages; bad frames get
 * an {@code error} message, a frame over 64 KiB closes the socket.
 */
public final class CallTransportRoute extends AllDirectives {

  private static final long STRICT_TIMEOUT_MILLIS = 5_000;

  private final CallService calls;
  private final BearerAuth auth;
  private final CallTokens tokens;
  private final Materializer materializer;
  private final CallBridge.Context bridgeContext;
  private final StrictWebSocket webSockets;
  /** RFC 6455 7.4.1: a message too big to process. */
  private static final int CLOSE_TOO_BIG = 1009;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallTransportRoute.class);

  public CallTransportRoute(ActorSystem<?> system, CallService calls, BearerAuth auth, CallTokens tokens) {
    this.calls = calls;
    this.auth = auth;
    this.tokens = tokens;
    this.materializer = Materializer.matFromSystem(system);
    Config config = system.settings().config();
    CallBridge.CallBridges open = new CallBridge.CallBridges();
    this.webSockets = new StrictWebSocket(system);
    this.bridgeContext = new CallBridge.Context(calls, config.getDuration("parley.call-actors.live.reconnect-window"),
        config.getDuration("parley.call-actors.ask-timeout"), system, materializer, open);
    // A leaving node closes its callers' sockets before it stops serving: they reconnect to another
    // node, while the calls themselves move on with sharding's hand-off.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "close-call-sockets",
        () -> {
          int closed = open.closeAll();
          if (closed > 0) {
            log.info("Closed {} call sockets: this node is leaving", closed);
          }
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  public Route route() {
    return path(PathMatchers.segment("call").slash(PathMatchers.segment()).slash("transport"), callId ->
        get(() -> auth.callConnection(callId, tokens, orgId -> extractRequest(request -> {
          if (request.getAttribute(AttributeKeys.webSocketUpgrade).isEmpty()) {
            return complete(ErrorResponses.response(StatusCodes.BAD_REQUEST,
                "This is a WebSocket endpoint: connect with ws:// (Upgrade: websocket)"));
          }
          if (!JsonRoutes.isUuid(callId)) {
            return complete(ErrorResponses.response(StatusCodes.NOT_FOUND, "Call not found: " + callId));
          }
          String connectionId = UUID.randomUUID().toString();
          return onSuccess(calls.attachMedia(orgId, callId, connectionId), reply -> reply.isSuccess()
              ? complete(webSockets.handle(request.getAttribute(AttributeKeys.webSocketUpgrade).get(),
                  socket(orgId, callId, reply.getValue()), WireAudio.MAX_FRAME_BYTES))
              : complete(refusal(reply, callId)));
        }))));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse refusal(StatusReply<MediaChannel> reply, String callId) {
    String error = reply.getError().getMessage();
    StatusCode status;
    String message;
    if (CallEntity.ENDED.equals(error)) {
      status = StatusCodes.CONFLICT;
      message = "Call " + callId + " has ended";
    } else if (CallEntity.ALREADY_CONNECTED.equals(error)) {
      status = StatusCodes.CONFLICT;
      message = "Call " + callId + " already has a live connection";
    } else {
      status = StatusCodes.NOT_FOUND;
      message = "Call not found: " + callId;
    }
    return ErrorResponses.response(status, message);
  }

  private Flow<Message, Message, NotUsed> socket(String orgId, String callId, MediaChannel channel) {
    WireAudio audio = WireAudio.of(readTree(channel.transportJson()));
    return CallBridge.open(bridgeContext, orgId, callId, channel, audio, bridge -> Flow.<Message>create()
        .mapAsync(1, message -> toInput(message, audio, bridge))
        .mapConcat(input -> input.map(java.util.List::of).orElse(java.util.List.of())));
  }

  private CompletionStage<Optional<CallerInput>> toInput(Message message, WireAudio audio, CallBridge bridge) {
    if (message.isText()) {
      var text = message.asTextMessage();
      // a whole frame needs no stream of its own: that is nearly every frame, 50 a second per call
      if (text.isStrict()) {
        return CompletableFuture.completedFuture(text.getStrictText().length() > WireAudio.MAX_FRAME_BYTES
            ? tooLarge(bridge) : Optional.of(new CallerInput.Control(text.getStrictText())));
      }
      return text.getStreamedText()
          .limitWeighted(WireAudio.MAX_FRAME_BYTES, part -> (long) part.length())
          .runFold(new StringBuilder(), StringBuilder::append, materializer)
          .handle((whole, failure) -> failure != null
              ? tooLarge(bridge)
              : Optional.<CallerInput>of(new CallerInput.Control(whole.toString())));
    }
    var binary = message.asBinaryMessage();
    if (binary.isStrict()) {
      ByteString bytes = binary.getStrictData();
      return CompletableFuture.completedFuture(bytes.size() > WireAudio.MAX_FRAME_BYTES
          ? tooLarge(bridge) : audioInput(bytes, audio, bridge));
    }
    return binary.getStreamedData()
        .limitWeighted(WireAudio.MAX_FRAME_BYTES, part -> (long) part.size())
        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
        .handle((bytes, failure) -> failure != null ? tooLarge(bridge) : audioInput(bytes, audio, bridge));
  }

  private static Optional<CallerInput> audioInput(ByteString bytes, WireAudio audio, CallBridge bridge) {
    byte[] frame = bytes.toArray();
    String problem = audio.problemWith(frame);
    if (problem != null) {
      bridge.notify(ServerMessages.error(problem));
      return Optional.empty();
    }
    return Optional.of(new CallerInput.Audio(audio.toPlatform(frame)));
  }

  private static Optional<CallerInput> tooLarge(CallBridge bridge) {
    bridge.notify(ServerMessages.error(
        "Frame larger than " + WireAudio.MAX_FRAME_BYTES + " bytes: closing the connection"));
    bridge.close(CLOSE_TOO_BIG, "frame too large");
    return Optional.empty();
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return JsonMapper.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return JsonMapper.MAPPER.createObjectNode();
    }
  }
}
