package dev.parley.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class KryoSerializerTest {

  enum Mood { HAPPY, SAD }

  record Nested(long n, List<Nested> children) implements ClusterSerializable {}

  record Greeting(String text, int count, List<String> tags, Map<String, Integer> scores,
      Optional<String> note, Instant at, Duration took, UUID id, Mood mood, Nested nested,
      ActorRef<String> replyTo) implements ClusterSerializable {}

  record Holder(Object inner) implements ClusterSerializable {}

  record NotRegistered(String x) implements ClusterSerializable {}

  record NameBeforeRename(String text, int count) implements ClusterSerializable {}

  record NameAfterRename(String text, int count) implements ClusterSerializable {}

  static final class PlainJava implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static final String PREFIX = KryoSerializerTest.class.getName() + "$";
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("kryo", config(PREFIX + "NameBeforeRename"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static Config config(String renamedClass) {
    return ConfigFactory.load(ConfigFactory.parseString("""
        parley.serialization.kryo.classes {
          1000 = "%1$sGreeting"
          1001 = "%1$sNested"
          1002 = "%1$sMood"
          1003 = "%1$sHolder"
          1004 = "%2$s"
        }
        """.formatted(PREFIX, renamedClass))
        .withFallback(ConfigFactory.parseResources("parley-persistence.conf")));
  }

  private static Serialization serialization(ActorTestKit kit) {
    return SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @Test
  void theMarkerInterfaceIsBoundToKryo() {
    Serializer serializer = serialization(testKit).findSerializerFor(new Holder("x"));
    assertInstanceOf(KryoSerializer.class, serializer);
    assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier());
  }

  @Test
  void javaSerializationIsOff() {
    assertFalse(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization"));
    var attempt = serialization(testKit).serialize(new PlainJava());
    assertTrue(attempt.isFailure(), "a plain java.io.Serializable must not be serialized");
    assertTrue(attempt.failed().get().getMessage().contains("allow-java-serialization"),
        attempt.failed().get().getMessage());
  }

  @Test
  void recordsCollectionsJdkTypesAndActorRefsRoundTrip() {
    TestProbe<String> probe = testKit.createTestProbe();
    Map<String, Integer> scores = new LinkedHashMap<>();
    scores.put("a", 1);
    scores.put("b", 2);
    Greeting greeting = new Greeting("hello", 3, List.of("x", "y", "z"), scores, Optional.of("note"),
        Instant.parse("2026-11-25T04:00:00.123456Z"), Duration.ofMillis(1500), UUID.randomUUID(),
        Mood.SAD, new Nested(1, List.of(new Nested(2, List.of()), new Nested(3, new ArrayList<>()))),
        probe.getRef());

    byte[] bytes = serialization(testKit).serialize(greeting).get();
    Object back = serialization(testKit).deserialize(bytes, KryoSerializer.IDENTIFIER, "").get();

    assertEquals(greeting, back);
    ((Greeting) back).replyTo().tell("resolved");
    probe.expectMessage("resolved");
  }

  @Test
  @SuppressWarnings("unchecked")
  void streamRefsRoundTripAndStillStream() throws Exception {
    var materializer = org.apache.pekko.stream.Materializer.matFromSystem(testKit.system());
    org.apache.pekko.stream.SourceRef<String> sourceRef = org.apache.pekko.stream.javadsl.Source.from(List.of("a", "b"))
        .runWith(org.apache.pekko.stream.javadsl.StreamRefs.sourceRef(), materializer);
    var sinkAndSeen = org.apache.pekko.stream.javadsl.StreamRefs.<String>sinkRef()
        .toMat(org.apache.pekko.stream.javadsl.Sink.seq(), org.apache.pekko.stream.javadsl.Keep.both())
        .run(materializer);
    Holder refs = new Holder(List.of(sourceRef, sinkAndSeen.first()));

    byte[] bytes = serialization(testKit).serialize(refs).get();
    List<Object> back = (List<Object>) ((Holder) serialization(testKit)
        .deserialize(bytes, KryoSerializer.IDENTIFIER, "").get()).inner();

    var fromRef = ((org.apache.pekko.stream.SourceRef<String>) back.get(0)).getSource()
        .runWith(org.apache.pekko.stream.javadsl.Sink.seq(), materializer);
    assertEquals(List.of("a", "b"), fromRef.toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS));
    org.apache.pekko.stream.javadsl.Source.from(List.of("x", "y"))
        .runWith(((org.apache.pekko.stream.SinkRef<String>) back.get(1)).getSink(), materializer);
    assertEquals(List.of("x", "y"),
        sinkAndSeen.second().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void bytesCarryRegisteredIdsNotClassNames() {
    byte[] bytes = serialization(testKit).serialize(new Holder(List.of(Map.of("k", 1L)))).get();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("Holder"), "class name leaked into the bytes");
    assertFalse(text.contains("java.util"), "class name leaked into the bytes");
  }

  @Test
  void anUnregisteredClassFailsWithGuidance() {
    var attempt = serialization(testKit).serialize(new Holder(new NotRegistered("x")));
    assertTrue(attempt.isFailure());
    String message = attempt.failed().get().getMessage();
    assertTrue(message.contains("NotRegistered") && message.contains(KryoRegistrations.CONFIG_PATH), message);
  }

  @Test
  void bytesWrittenBeforeAClassRenameReadBackAsTheRenamedClass() {
    byte[] written = serialization(testKit).serialize(new NameBeforeRename("kept", 7)).get();

    ActorTestKit afterRename = ActorTestKit.create("kryo-renamed", config(PREFIX + "NameAfterRename"));
    try {
      Object read = serialization(afterRename).deserialize(written, KryoSerializer.IDENTIFIER, "").get();
      assertEquals(new NameAfterRename("kept", 7), read);
      byte[] rewritten = serialization(afterRename).serialize(read).get();
      assertArrayEquals(written, rewritten, "the same id and shape must give the same bytes");
    } finally {
      afterRename.shutdownTestKit();
    }
  }

  @Test
  void aClassRegisteredTwiceIsRejectedAtStartUp() {
    Config twice = ConfigFactory.parseString("""
        parley.serialization.kryo.classes { 1000 = "%1$sHolder", 1001 = "%1$sHolder" }
        """.formatted(PREFIX));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KryoRegistrations.fromConfig(twice, getClass().getClassLoader()));
    assertTrue(e.getMessage().contains("registered twice"), e.getMessage());
  }

  @Test
  void applicationIdsBelowTheReservedRangeAreRejected() {
    Config low = ConfigFactory.parseString("parley.serialization.kryo.classes { 99 = \"java.lang.String\" }");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KryoRegistrations.fromConfig(low, getClass().getClassLoader()));
    assertTrue(e.getMessage().contains("start at 1000"), e.getMessage());
  }

  @Test
  void aMissingClassNamesItsIdAndTheFix() {
    Config missing = ConfigFactory.parseString("parley.serialization.kryo.classes { 1000 = \"no.such.Event\" }");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KryoRegistrations.fromConfig(missing, getClass().getClassLoader()));
    assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("no.such.Event"), e.getMessage());
  }
}
