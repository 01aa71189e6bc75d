package dev.parley.call.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MuLawTest {

  @Test
  void knownCodes() {
    assertEquals((byte) 0xFF, MuLaw.encodeSample((short) 0));
    assertEquals(0, MuLaw.decodeSample((byte) 0xFF));
    assertEquals(0, MuLaw.decodeSample((byte) 0x7F));
    assertEquals(-32124, MuLaw.decodeSample((byte) 0x00));
    assertEquals(32124, MuLaw.decodeSample((byte) 0x80));
    assertEquals((byte) 0x80, MuLaw.encodeSample(Short.MAX_VALUE));
    assertEquals((byte) 0x00, MuLaw.encodeSample((short) -Short.MAX_VALUE));
  }

  @Test
  void roundTripErrorIsWithinHalfAQuantisationStep() {
    for (int x = -32635; x <= 32635; x++) {
      short decoded = MuLaw.decodeSample(MuLaw.encodeSample((short) x));
      // segment e has step 2^(e+3) and holds |x| + 132 >= 2^(e+7): half a step <= (|x| + 132) / 32
      double bound = (Math.abs(x) + 132) / 32.0;
      assertTrue(Math.abs(decoded - x) <= bound, x + " came back as " + decoded);
    }
  }

  @Test
  void everyCodeSurvivesDecodeAndEncode() {
    for (int code = 0; code < 256; code++) {
      byte encoded = (byte) code;
      short decoded = MuLaw.decodeSample(encoded);
      byte again = MuLaw.encodeSample(decoded);
      // 0x7F is "negative zero", which encodes back as 0xFF
      assertEquals(code == 0x7F ? (byte) 0xFF : encoded, again, "code " + code);
    }
  }

  @Test
  void byteArraysAreLittleEndianPcm() {
    byte[] pcm = {0x00, 0x00, (byte) 0xFF, 0x7F, 0x01, (byte) 0x80};
    byte[] mulaw = MuLaw.encode(pcm);
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0x80, 0x00}, mulaw);
    assertArrayEquals(new byte[] {0, 0, 0x7C, 0x7D, (byte) 0x84, (byte) 0x82}, MuLaw.decode(mulaw));
    assertThrows(IllegalArgumentException.class, () -> MuLaw.encode(new byte[3]));
  }
}
