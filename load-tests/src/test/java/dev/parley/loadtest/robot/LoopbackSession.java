package dev.parley.loadtest.robot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.audio.MuLaw;

/**
 * One socket of the loopback server: a scripted assistant. It plays a first message, detects the
 * caller's turns by loudness (a turn ends after {@code endpointingMillis} of quiet), answers each
 * after {@code replyDelayMillis} with {@code replyFrames} frames of tone paced every 20 ms, stops
 * when the caller speaks over it ({@code user-interrupted}), and ends the call on {@code end-call}.
 * It records the caller's frames with their arrival times.
 */
final class LoopbackSession {

  /**
   * What the scripted assistant does; 0 frames means it stays silent. A first message with a text
   * ends with its final assistant transcript, as the platform's replies do; so does the first reply
   * of a socket with a {@code firstReplyText}.
   */
  record Script(int firstMessageFrames, int replyFrames, long endpointingMillis, long replyDelayMillis,
      boolean speechUpdates, String firstMessageText, String firstReplyText) {
    Script(int firstMessageFrames, int replyFrames, long endpointingMillis, long replyDelayMillis,
        boolean speechUpdates) {
      this(firstMessageFrames, replyFrames, endpointingMillis, replyDelayMillis, speechUpdates, null, null);
    }

    Script(int firstMessageFrames, int replyFrames, long endpointingMillis, long replyDelayMillis,
        boolean speechUpdates, String firstMessageText) {
      this(firstMessageFrames, replyFrames, endpointingMillis, replyDelayMillis, speechUpdates, firstMessageText,
          null);
    }
  }

  /** A caller frame as the server got it. */
  record Arrival(long atNanos, byte[] bytes, boolean loud) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final double LOUD_RMS = 300;

  private final Script script;
  private final WireFormat format;
  private final ScheduledExecutorService clock;
  private final Materializer materializer;
  private final boolean openedWithKey;
  private final BoundedSourceQueue<Message> out;
  private final Source<Message, NotUsed> outSource;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final List<JsonNode> controls = new ArrayList<>();
  private ScheduledFuture<?> playing;
  private ScheduledFuture<?> pendingReply;
  private long lastLoudNanos;
  private int replies;
  private boolean inTurn;
  private int turn;

  LoopbackSession(Script script, WireFormat format, ScheduledExecutorService clock, ActorSystem<?> system,
      boolean openedWithKey) {
    this.script = script;
    this.format = format;
    this.clock = clock;
    this.materializer = Materializer.matFromSystem(system);
    this.openedWithKey = openedWithKey;
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> queue = Source.<Message>queue(1024).preMaterialize(materializer);
    this.out = queue.first();
    this.outSource = queue.second();
  }

  Flow<Message, Message, NotUsed> flow() {
    send(MAPPER.createObjectNode().put("type", "status-update").put("status", "in-progress"));
    if (script.firstMessageFrames() > 0) {
      synchronized (this) {
        play(script.firstMessageFrames(), script.firstMessageText());
      }
    }
    Sink<Message, NotUsed> in = Flow.<Message>create().mapAsync(1, this::strict)
        .to(Sink.foreach(this::onMessage)).mapMaterializedValue(done -> NotUsed.getInstance());
    return Flow.fromSinkAndSourceCoupled(in, outSource);
  }

  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  synchronized List<JsonNode> controls() {
    return List.copyOf(controls);
  }

  boolean openedWithKey() {
    return openedWithKey;
  }

  private CompletionStage<Object> strict(Message message) {
    if (message.isText()) {
      return message.asTextMessage().toStrict(5_000, materializer).thenApply(t -> t.getStrictText());
    }
    return message.asBinaryMessage().toStrict(5_000, materializer).thenApply(b -> b.getStrictData().toArray());
  }

  private synchronized void onMessage(Object message) throws Exception {
    long now = System.nanoTime();
    if (message instanceof byte[] bytes) {
      boolean loud = rms(format == WireFormat.MULAW_8K ? MuLaw.decode(bytes) : bytes) > LOUD_RMS;
      arrivals.add(new Arrival(now, bytes, loud));
      onCallerAudio(now, loud);
      return;
    }
    JsonNode control = MAPPER.readTree((String) message);
    controls.add(control);
    switch (control.path("type").asText()) {
      case "end-call" -> {
        stopPlaying();
        send(MAPPER.createObjectNode().put("type", "status-update").put("status", "ended")
            .put("endedReason", "customer-ended-call"));
        send(MAPPER.createObjectNode().put("type", "end-of-call-report").put("endedReason", "customer-ended-call"));
        out.complete();
      }
      case "say" -> play(script.replyFrames());
      case "add-message" -> {
        ObjectNode update = MAPPER.createObjectNode().put("type", "conversation-update");
        update.putArray("messages").add(control.path("message"));
        send(update);
      }
      default -> send(MAPPER.createObjectNode().put("type", "error")
          .put("message", "Unknown control message type: " + control.path("type").asText()));
    }
  }

  private void onCallerAudio(long now, boolean loud) {
    if (loud) {
      lastLoudNanos = now;
      if (!inTurn) {
        inTurn = true;
        if (pendingReply != null) {
          pendingReply.cancel(false);
        }
        if (playing != null) {
          stopPlaying();
          send(MAPPER.createObjectNode().put("type", "user-interrupted"));
        }
      }
    } else if (inTurn && now - lastLoudNanos >= script.endpointingMillis() * 1_000_000) {
      inTurn = false;
      send(MAPPER.createObjectNode().put("type", "transcript").put("role", "user").put("transcriptType", "final")
          .put("transcript", "turn " + turn++));
      if (script.replyFrames() > 0) {
        String text = replies++ == 0 ? script.firstReplyText() : null;
        pendingReply = clock.schedule(() -> {
          synchronized (this) {
            play(script.replyFrames(), text);
          }
        }, script.replyDelayMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Plays {@code frames} frames of a 440 Hz tone, one every 20 ms, between speech-updates. */
  private void play(int frames) {
    play(frames, null);
  }

  /** The same, then the final transcript {@code text} (none when null). */
  private void play(int frames, String text) {
    stopPlaying();
    speechUpdate("started");
    List<byte[]> tone = format.toFrames(Tones.sine(440, frames * WireFormat.FRAME_MS, 8_000));
    int[] next = {0};
    playing = clock.scheduleAtFixedRate(() -> {
      synchronized (this) {
        if (next[0] < tone.size()) {
          out.offer(BinaryMessage.create(ByteString.fromArray(tone.get(next[0]++))));
        } else {
          stopPlaying();
          if (text != null) {
            send(MAPPER.createObjectNode().put("type", "transcript").put("role", "assistant")
                .put("transcriptType", "final").put("transcript", text));
          }
        }
      }
    }, 0, WireFormat.FRAME_MS, TimeUnit.MILLISECONDS);
  }

  private void stopPlaying() {
    if (playing != null) {
      playing.cancel(false);
      playing = null;
      speechUpdate("stopped");
    }
  }

  private void speechUpdate(String status) {
    if (script.speechUpdates()) {
      send(MAPPER.createObjectNode().put("type", "speech-update").put("status", status).put("role", "assistant"));
    }
  }

  private void send(ObjectNode message) {
    out.offer(TextMessage.create(message.toString()));
  }

  static double rms(byte[] pcm) {
    double sum = 0;
    int samples = pcm.length / 2;
    for (int i = 0; i < samples; i++) {
      short s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
      sum += (double) s * s;
    }
    return samples == 0 ? 0 : Math.sqrt(sum / samples);
  }
}
