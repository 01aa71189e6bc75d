package dev.parley.loadtest.loopback;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenAI's {@code POST /v1/audio/speech} with {@code response_format: "pcm"} answering at once:
 * 24 kHz s16le mono, a 440 Hz tone lasting {@value #MS_PER_WORD} ms per word of {@code input},
 * streamed in 100 ms chunks.
 */
final class InstantSpeech {

  static final int SAMPLE_RATE = 24_000;
  static final int MS_PER_WORD = 60;
  private static final int CHUNK_BYTES = SAMPLE_RATE / 10 * 2;

  private final ServedFigures figures;

  InstantSpeech(ServedFigures figures) {
    this.figures = figures;
  }

  HttpResponse answer(JsonNode request) {
    String input = request.path("input").asText("");
    if (input.isBlank()) {
      return OpenAiErrors.badRequest(figures, "'input' must be a non-empty string");
    }
    String format = request.path("response_format").asText("mp3");
    if (!"pcm".equals(format)) {
      return OpenAiErrors.badRequest(figures,
          "The instant providers only speak response_format 'pcm' (24 kHz s16le), not '" + format + "'");
    }
    int words = input.trim().split("\\s+").length;
    ByteString pcm = tone(words * MS_PER_WORD * SAMPLE_RATE / 1000);
    figures.speechRequests.incrementAndGet();
    figures.speechBytes.addAndGet(pcm.size());
    Source<ByteString, ?> chunks = Source.range(0, (pcm.size() - 1) / CHUNK_BYTES)
        .map(i -> pcm.slice(i * CHUNK_BYTES, Math.min(pcm.size(), (i + 1) * CHUNK_BYTES)));
    return HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_OCTET_STREAM, chunks));
  }

  static ByteString tone(int samples) {
    ByteBuffer buffer = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      buffer.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE)));
    }
    return ByteString.fromArrayUnsafe(buffer.array());
  }
}
