package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a caller heard of a reply: only sentences whose audio was played. */
class PlaybackTest {

  @Test
  void aSentenceWhoseAudioHasNotComeIsNotHeard() {
    Playback playback = new Playback();
    playback.sentenceStarted("Sorry, I lost you for a moment.");
    assertEquals("", playback.heardText(0));
    assertEquals("", playback.heardText(900));
  }

  @Test
  void aSentenceIsWhollyHeardOnlyOnceAllItsAudioCameAndPlayed() {
    Playback playback = new Playback();
    playback.sentenceStarted("one two three four");
    playback.sentenceAudio(400);
    // the voice may still send more of it: never the whole sentence
    assertEquals("one two three", playback.heardText(400));
    assertEquals("one two", playback.heardText(200));
    playback.sentenceAudio(400);
    playback.sentenceStarted("five six");
    assertEquals("one two three four", playback.heardText(800));
    assertEquals("one two", playback.heardText(400));
    assertEquals("one two three four", playback.heardText(850), "the next sentence has no audio yet");
    playback.sentenceAudio(200);
    playback.audioComplete();
    assertEquals("one two three four five", playback.heardText(900));
    assertEquals("one two three four five six", playback.heardText(1000));
  }

  @Test
  void aSentenceTheVoiceMadeNothingOfIsPassedOver() {
    Playback playback = new Playback();
    playback.sentenceStarted("...");
    playback.sentenceStarted("Hello there.");
    playback.sentenceAudio(300);
    playback.audioComplete();
    assertEquals("Hello there.", playback.heardText(300));
  }
}
