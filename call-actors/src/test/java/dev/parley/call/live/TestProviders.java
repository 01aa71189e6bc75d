package dev.parley.call.live;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.Providers;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.TextToSpeech;
import dev.parley.call.provider.Transcript;
import dev.parley.call.provider.VoiceActivityDetector;

/**
 * Deterministic providers for testing turn-taking on its own: a loudness detector for voice, a
 * transcriber that hears the next queued sentence at each end of speech, a model that echoes, and
 * a voice that plays a tone for each word. The real providers have their own tests.
 */
final class TestProviders {

  static final int WORD_MS = 200;
  final Queue<String> heardSentences = new ConcurrentLinkedQueue<>();
  final List<String> modelInputs = java.util.Collections.synchronizedList(new ArrayList<>());

  Providers providers() {
    return new Providers(Map.of("test-stt", stt()), Map.of("test-model", model()),
        Map.of("test-voice", voice(), "test-slow-voice", slowVoice()), loudness());
  }

  static VoiceActivityDetector loudness() {
    return detector(frame -> {
      long energy = 0;
      for (short sample : frame) {
        energy += Math.abs(sample);
      }
      return energy / frame.length > 1000 ? 0.95 : 0.02;
    });
  }

  /** A detector of 512-sample frames that rates each frame with {@code probability}. */
  static VoiceActivityDetector detector(java.util.function.ToDoubleFunction<short[]> probability) {
    return new VoiceActivityDetector() {
      @Override
      public int frameSamples() {
        return 512;
      }

      @Override
      public Session open() {
        return new Session() {
          @Override
          public float speechProbability(short[] frame) {
            return (float) probability.applyAsDouble(frame);
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  private SpeechToText stt() {
    // "words" is heard at the end of speech; "words|tail" also hears "tail" 700 ms later, a final
    // that comes after its turn was taken (as a slow transcriber's last words do)
    return transcriber -> Flow.<SttInput>create().flatMapConcat(input -> {
      String next = input instanceof SttInput.SpeechEnded ? heardSentences.poll() : null;
      if (next == null) {
        return Source.<Transcript>empty();
      }
      String[] parts = next.split("\\|");
      Source<Transcript, NotUsed> heard = Source.single(new Transcript(parts[0], true));
      return parts.length == 1 ? heard
          : heard.concat(Source.single(new Transcript(parts[1], true)).initialDelay(java.time.Duration.ofMillis(700)));
    });
  }

  private LanguageModel model() {
    return request -> {
      String last = request.messages().get(request.messages().size() - 1).content();
      modelInputs.add(last);
      String reply = last.startsWith("long") ? "One two three four five. Six seven eight nine ten. Eleven twelve."
          : "You said " + last + ".";
      List<ModelEvent> events = new ArrayList<>();
      for (String word : reply.split("(?<= )")) {
        events.add(new ModelEvent.TextDelta(word));
      }
      return Source.from(events);
    };
  }

  private static TextToSpeech voice() {
    return (text, voice) -> Source.single(tone(text.split("\\s+").length * WORD_MS, 440));
  }

  /** The same voice, whose first audio takes {@link #SLOW_VOICE_MS}: a caller can speak before it. */
  private static TextToSpeech slowVoice() {
    TextToSpeech voice = voice();
    return (text, config) -> voice.synthesize(text, config).initialDelay(java.time.Duration.ofMillis(SLOW_VOICE_MS));
  }

  static final int SLOW_VOICE_MS = 3000;

  static ByteString tone(int ms, int hz) {
    int samples = ms * Pcm16.SAMPLE_RATE / 1000;
    ByteBuffer buffer = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      buffer.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / Pcm16.SAMPLE_RATE)));
    }
    return ByteString.fromArrayUnsafe(buffer.array());
  }

  static Source<ByteString, NotUsed> silence() {
    return Source.repeat(ByteString.fromArrayUnsafe(new byte[Pcm16.FRAME_BYTES]));
  }
}
