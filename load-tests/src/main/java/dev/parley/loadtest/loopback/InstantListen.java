package dev.parley.loadtest.loopback;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Deepgram's {@code GET /v1/listen} socket answering at once: it counts the audio, answers each
 * {@code Finalize} with one final {@code Results} ({@code from_finalize: true}) carrying the
 * configured transcript, ignores {@code KeepAlive}, and answers {@code CloseStream} with
 * {@code Metadata} and a clean close. Tagged: the transcript names the {@link TurnTags} tone found
 * in the audio since the last {@code Finalize} ("turn 7"), when there is one.
 */
final class InstantListen {

  private static final long STRICT_MILLIS = 5_000;

  private final String transcript;
  private final boolean tagged;
  private final ServedFigures figures;
  private final Materializer materializer;

  InstantListen(String transcript, boolean tagged, ServedFigures figures, Materializer materializer) {
    this.transcript = transcript;
    this.tagged = tagged;
    this.figures = figures;
    this.materializer = materializer;
  }

  Flow<Message, Message, NotUsed> socket() {
    figures.listenSockets.incrementAndGet();
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(64).preMaterialize(materializer);
    // one stage handles this socket's messages in order: the detector needs no lock
    TurnTags.Detector detector = new TurnTags.Detector();
    Sink<Message, ?> in = Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? m.asTextMessage().toStrict(STRICT_MILLIS, materializer).thenApply(t -> t.text())
            : m.asBinaryMessage().toStrict(STRICT_MILLIS, materializer).thenApply(b -> {
              figures.listenAudioBytes.addAndGet(b.data().size());
              if (tagged) {
                detector.accept(b.data().toArray());
              }
              return "";
            }))
        .to(Sink.foreach(text -> onText(text, out.first(), detector)));
    return Flow.fromSinkAndSourceCoupled(in, out.second());
  }

  private void onText(String text, BoundedSourceQueue<Message> out, TurnTags.Detector detector) {
    if (text.isEmpty()) {
      return;
    }
    String type = type(text);
    if ("Finalize".equals(type)) {
      figures.finalizesAnswered.incrementAndGet();
      String heard = tagged ? detector.tag().stream().mapToObj(TurnTags::transcript).findFirst().orElse(transcript)
          : transcript;
      detector.reset();
      out.offer(TextMessage.create(finalResult(heard)));
    } else if ("CloseStream".equals(type)) {
      out.offer(TextMessage.create("{\"type\":\"Metadata\",\"request_id\":\"instant\",\"channels\":1}"));
      out.complete();
    }
  }

  private String type(String text) {
    try {
      return Json.MAPPER.readTree(text).path("type").asText("");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      figures.badRequests.incrementAndGet();
      return "";
    }
  }

  private static String finalResult(String transcript) {
    var results = Json.MAPPER.createObjectNode().put("type", "Results").put("is_final", true)
        .put("speech_final", true).put("from_finalize", true).put("start", 0.0).put("duration", 0.0);
    results.putArray("channel_index").add(0).add(1);
    results.putObject("channel").putArray("alternatives").addObject()
        .put("transcript", transcript).put("confidence", 1.0).putArray("words");
    return results.toString();
  }
}
