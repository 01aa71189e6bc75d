package dev.parley.call.providers.deepgram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Deepgram's {@code /v1/listen} socket on loopback, answering as a {@link Script} says. It checks
 * the {@code Token} key, records the query, the audio bytes and every control message, answers
 * {@code CloseStream} with {@code Metadata} and a clean close, and can refuse the handshake.
 */
final class FakeDeepgram extends AllDirectives implements AutoCloseable {

  static final String KEY = "test-key";
  /** A scripted reply that makes the server fail its socket: Deepgram's abnormal close (1011). */
  static final String CLOSE_WITH_ERROR = "close-with-error";
  /** A scripted reply that makes the server close its socket cleanly, unasked. */
  static final String CLOSE = "close";

  /** Replies to the n-th audio frame and the n-th Finalize of a connection. */
  interface Script {
    List<String> onAudio(int n);

    List<String> onFinalize(int n);
  }

  final List<String> controls = Collections.synchronizedList(new ArrayList<>());
  final List<Map<String, String>> queries = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong audioBytes = new AtomicLong();
  volatile Script script;
  /** When set, the handshake is answered with this status instead of an upgrade. */
  volatile int refuseWith;

  private final Materializer materializer;
  private final ServerBinding binding;

  FakeDeepgram(ActorSystem<?> system, Script script) throws Exception {
    this.script = script;
    this.materializer = Materializer.matFromSystem(system);
    this.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String baseUrl() {
    return "ws://127.0.0.1:" + binding.localAddress().getPort() + "/v1";
  }

  long keepAlives() {
    synchronized (controls) {
      return controls.stream().filter(c -> c.contains("KeepAlive")).count();
    }
  }

  static String results(String transcript, boolean isFinal, boolean fromFinalize) {
    return "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":0.5,\"start\":0.0,\"is_final\":" + isFinal
        + ",\"speech_final\":" + isFinal + ",\"from_finalize\":" + fromFinalize
        + ",\"channel\":{\"alternatives\":[{\"transcript\":\"" + transcript + "\",\"confidence\":0.98,\"words\":[]}]}}";
  }

  private Route route() {
    return path(PathMatchers.segment("v1").slash("listen"), () -> get(() -> extractRequest(request -> parameterMap(query -> {
      String auth = request.getHeader("Authorization").map(h -> h.value()).orElse("");
      if (!auth.equals("Token " + KEY)) {
        return complete(HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED)
            .addHeader(RawHeader.create("dg-error", "Invalid credentials."))
            .withEntity(ContentTypes.APPLICATION_JSON, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}"));
      }
      if (refuseWith != 0) {
        return complete(HttpResponse.create().withStatus(refuseWith)
            .addHeader(RawHeader.create("dg-error", "Service is overloaded")));
      }
      queries.add(query);
      return handleWebSocketMessages(socket());
    }))));
  }

  private Flow<Message, Message, ?> socket() {
    Pair<BoundedSourceQueue<Message>, Source<Message, org.apache.pekko.NotUsed>> out =
        Source.<Message>queue(256).preMaterialize(materializer);
    AtomicInteger audio = new AtomicInteger();
    AtomicInteger finalizes = new AtomicInteger();
    Sink<Message, ?> in = Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? m.asTextMessage().toStrict(5_000, materializer).thenApply(s -> (Object) s.text())
            : m.asBinaryMessage().toStrict(5_000, materializer).thenApply(b -> (Object) b.data()))
        .to(Sink.foreach(m -> {
          if (m instanceof String text) {
            controls.add(text);
            if (text.contains("\"Finalize\"")) {
              reply(out.first(), script.onFinalize(finalizes.getAndIncrement()));
            } else if (text.contains("\"CloseStream\"")) {
              out.first().offer(TextMessage.create("{\"type\":\"Metadata\",\"request_id\":\"fake\",\"duration\":1.0}"));
              out.first().complete();
            }
          } else {
            audioBytes.addAndGet(((org.apache.pekko.util.ByteString) m).size());
            reply(out.first(), script.onAudio(audio.getAndIncrement()));
          }
        }));
    return Flow.fromSinkAndSourceCoupled(in, out.second());
  }

  private static void reply(BoundedSourceQueue<Message> out, List<String> replies) {
    for (String reply : replies) {
      if (CLOSE_WITH_ERROR.equals(reply)) {
        out.fail(new IllegalStateException("scripted failure"));
      } else if (CLOSE.equals(reply)) {
        out.complete();
      } else {
        out.offer(TextMessage.create(reply));
      }
    }
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
