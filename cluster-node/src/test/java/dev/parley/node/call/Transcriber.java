package dev.parley.node.call;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;

/** What PocketSphinx hears in audio the assistant sent: the test's own ear, the platform's real transcriber. */
final class Transcriber {

  private final SpeechToText stt;
  private final Materializer materializer;

  Transcriber(SpeechToText stt, ActorSystem<?> system) {
    this.stt = stt;
    this.materializer = Materializer.matFromSystem(system);
  }

  /** Blocking (test assertion): the final transcript of 16 kHz PCM. */
  String transcribe(byte[] pcm16k) throws Exception {
    List<Transcript> out = Source.<SttInput>from(List.of(new SttInput.Audio(ByteString.fromArray(pcm16k)),
            new SttInput.SpeechEnded()))
        .via(stt.open(JsonNodeFactory.instance.objectNode().put("provider", "parley-pocketsphinx")))
        .runWith(Sink.seq(), materializer)
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    return out.stream().filter(Transcript::isFinal).map(Transcript::text).collect(Collectors.joining(" "));
  }
}
