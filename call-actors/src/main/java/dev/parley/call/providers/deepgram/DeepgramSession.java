package dev.parley.call.providers.deepgram;

import static scala.jdk.javaapi.DurationConverters.toScala;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SharedKillSwitch;

import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;

/**
 * One call's conversation with Deepgram, driven by one stream stage so its state needs no locks.
 * Audio goes out as binary frames; an end of speech sends {@code Finalize} and closes the utterance
 * when the {@code from_finalize} result arrives or the finalize timeout passes, whichever is first.
 * When nothing of the utterance is final yet at the timeout, closing it would lose the turn: the
 * wait goes on up to the longer timeout for that case.
 * When the caller's input ends, {@code CloseStream} goes out and the session ends once Deepgram
 * closes (or the close timeout passes).
 */
final class DeepgramSession {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeepgramSession.class);

  static final String ENDED_REASON = "pipeline-error-deepgram-transcriber-failed";

  /** What the session reacts to, from the caller's side, Deepgram's side, or its own timers. */
  sealed interface Event {
    record Input(SttInput input) implements Event {}

    record InputDone() implements Event {}

    record Reply(DeepgramReply reply) implements Event {}

    record ServerClosed() implements Event {}

    /** {@code last}: the longer wait of an utterance with no final words is over too. */
    record FinalizeDue(int number, boolean last) implements Event {}

    record CloseDue() implements Event {}
  }

  private final DeepgramSettings settings;
  private final BoundedSourceQueue<Message> socket;
  private final BoundedSourceQueue<Event> timers;
  private final SharedKillSwitch end;
  private final Materializer materializer;
  private final CompletionStage<?> connected;
  private final Utterance utterance = new Utterance();
  private int finalizesSent;
  private int finalizesAnswered;
  private boolean inputDone;

  DeepgramSession(DeepgramSettings settings, BoundedSourceQueue<Message> socket, BoundedSourceQueue<Event> timers,
      SharedKillSwitch end, Materializer materializer, CompletionStage<?> connected) {
    this.settings = settings;
    this.socket = socket;
    this.timers = timers;
    this.end = end;
    this.materializer = materializer;
    this.connected = connected;
  }

  List<Transcript> on(Event event) {
    if (event instanceof Event.Input in && in.input() instanceof SttInput.Audio audio) {
      send(BinaryMessage.create(audio.pcm()));
    } else if (event instanceof Event.Input) {
      send(TextMessage.create("{\"type\":\"Finalize\"}"));
      Event due = new Event.FinalizeDue(++finalizesSent, false);
      // The wait for the answer starts once the socket is open, not while the handshake is slow.
      connected.thenRun(() -> materializer.scheduleOnce(toScala(settings.finalizeTimeout()), () -> timers.offer(due)));
    } else if (event instanceof Event.InputDone) {
      inputDone = true;
      send(TextMessage.create("{\"type\":\"CloseStream\"}"));
      materializer.scheduleOnce(toScala(settings.closeTimeout()), () -> timers.offer(new Event.CloseDue()));
    } else if (event instanceof Event.Reply reply) {
      return onReply(reply.reply());
    } else if (event instanceof Event.FinalizeDue due && finalizesAnswered < due.number()) {
      if (!due.last() && !utterance.hasFinals()) {
        Event later = new Event.FinalizeDue(due.number(), true);
        materializer.scheduleOnce(toScala(settings.finalizeTimeoutWithoutWords().minus(settings.finalizeTimeout())),
            () -> timers.offer(later));
        return List.of();
      }
      finalizesAnswered = due.number();
      return list(utterance.finish());
    } else if (event instanceof Event.ServerClosed && !inputDone) {
      throw new ProviderException(ENDED_REASON, "Deepgram closed the connection while the call was still listening");
    } else if (event instanceof Event.ServerClosed || event instanceof Event.CloseDue) {
      end.shutdown();
    }
    return List.of();
  }

  private List<Transcript> onReply(DeepgramReply reply) {
    if (reply instanceof DeepgramReply.Failure failure) {
      throw new ProviderException(ENDED_REASON, "Deepgram error: " + failure.description());
    }
    if (!(reply instanceof DeepgramReply.Results results)) {
      return List.of();
    }
    if (!results.isFinal()) {
      return list(utterance.interim(results.transcript()));
    }
    if (!results.fromFinalize()) {
      return list(utterance.segment(results.transcript()));
    }
    if (finalizesAnswered == finalizesSent) {
      // The answer to a Finalize whose utterance already closed at its timeout: that turn is over.
      // Its words are not made a turn of their own (they would carry the closed turn's timing and
      // repeat it); they are logged, so a timeout that is too short shows.
      if (!results.transcript().isBlank()) {
        log.warn("Deepgram answered a Finalize after {} ms; words dropped: \"{}\" (raise "
            + "parley.call-actors.providers.deepgram.finalize-timeout)", settings.finalizeTimeout().toMillis(),
            results.transcript());
      }
      return List.of();
    }
    finalizesAnswered++;
    utterance.segment(results.transcript());
    return list(utterance.finish());
  }

  private void send(Message message) {
    QueueOfferResult result = socket.offer(message);
    if (result != QueueOfferResult.enqueued()) {
      throw new ProviderException(ENDED_REASON,
          "Deepgram is not taking audio fast enough: " + settings.sendBuffer() + " messages are waiting");
    }
  }

  /** Ends the outgoing side and the timers, whatever ended the session. */
  void close() {
    socket.complete();
    timers.complete();
  }

  private static List<Transcript> list(Optional<Transcript> transcript) {
    return transcript.map(List::of).orElse(List.of());
  }
}
