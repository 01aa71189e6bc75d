package dev.parley.registry.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import dev.parley.registry.crypto.SecretBox;

/** Exact events and replies of the resource entity; every message goes through Kryo. */
class ResourceEntityTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final Instant T1 = Instant.parse("2026-11-25T10:05:00.000Z");
  private static final String ORG = "org-1";

  private EventSourcedBehaviorTestKit<ResourceEntity.Command, ResourceEntity.Event, ResourceEntity.State> kit;

  @AfterAll
  static void stop() {
    TEST_KIT.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    kit = EventSourcedBehaviorTestKit.create(TEST_KIT.system(),
        ResourceEntity.create(ResourceKind.ASSISTANT, "a-1", BodyCodec.PLAIN));
  }

  private CommandResultWithReply<ResourceEntity.Command, ResourceEntity.Event, ResourceEntity.State, StatusReply<Resource>> create(
      String body) {
    return kit.runCommand(replyTo -> new ResourceEntity.Create(ORG, body, T0, replyTo));
  }

  @Test
  void createPersistsCreatedWithTheWholeResource() {
    var result = create("{\"name\":\"Desk\"}");
    Resource expected = new Resource(ResourceKind.ASSISTANT, "a-1", ORG, "{\"name\":\"Desk\"}", T0, T0);
    assertEquals(new ResourceEntity.Created(expected), result.event());
    assertEquals(expected, result.reply().getValue());
    assertEquals(ResourceEntity.tagFor("Assistant|a-1"), ResourceEntity.tagFor("Assistant|a-1"));
    assertTrue(ResourceEntity.tagFor("Assistant|a-1").matches("resource-[0-3]"));
  }

  @Test
  void aSecondCreateIsRefusedAndPersistsNothing() {
    create("{\"name\":\"Desk\"}");
    var again = create("{\"name\":\"Other\"}");
    assertTrue(again.hasNoEvents());
    assertEquals(ResourceEntity.ALREADY_EXISTS, again.reply().getError().getMessage());
  }

  @Test
  void updateMergesTopLevelFieldsAndSurvivesARestart() {
    create("{\"name\":\"Desk\",\"firstMessage\":\"Hi\",\"model\":{\"provider\":\"openai\",\"temperature\":0.5}}");
    var updated = kit.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Update(ORG,
        "{\"firstMessage\":null,\"model\":{\"provider\":\"parley-scripted\"}}", T1, replyTo));
    String merged = "{\"name\":\"Desk\",\"model\":{\"provider\":\"parley-scripted\"}}";
    assertEquals(merged, updated.reply().getValue().body());
    assertEquals(T1, updated.reply().getValue().updatedAt());
    assertEquals(T0, updated.reply().getValue().createdAt());
    assertTrue(updated.event() instanceof ResourceEntity.Updated);

    kit.restart();
    var got = kit.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Get(ORG, replyTo));
    assertEquals(merged, got.reply().getValue().body());
  }

  @Test
  void anotherOrgSeesNothingAndChangesNothing() {
    create("{\"name\":\"Desk\"}");
    var get = kit.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Get("org-2", replyTo));
    var update = kit.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Update("org-2", "{}", T1, replyTo));
    var delete = kit.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Delete("org-2", T1, replyTo));
    for (var result : List.of(get, update, delete)) {
      assertTrue(result.hasNoEvents());
      assertEquals(ResourceEntity.NOT_FOUND, result.reply().getError().getMessage());
    }
  }

  @Test
  void aDeletedResourceStaysDeleted() {
    create("{\"name\":\"Desk\"}");
    var deleted = kit.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Delete(ORG, T1, replyTo));
    assertTrue(deleted.event() instanceof ResourceEntity.Deleted);
    assertEquals("{\"name\":\"Desk\"}", deleted.reply().getValue().body());
    kit.restart();
    assertEquals(ResourceEntity.NOT_FOUND, kit.<StatusReply<Resource>>runCommand(
        replyTo -> new ResourceEntity.Get(ORG, replyTo)).reply().getError().getMessage());
    assertEquals(ResourceEntity.ALREADY_EXISTS, create("{\"name\":\"Again\"}").reply().getError().getMessage());
  }

  @Test
  void aSealedKindPersistsCiphertextAndRepliesPlaintext() {
    SecretBox box = new SecretBox(new byte[32]);
    var sealed = EventSourcedBehaviorTestKit.<ResourceEntity.Command, ResourceEntity.Event, ResourceEntity.State>create(
        TEST_KIT.system(), ResourceEntity.create(ResourceKind.CREDENTIAL, "c-1", box));
    String body = "{\"provider\":\"openai\",\"apiKey\":\"sk-secret-value\"}";
    var result = sealed.<StatusReply<Resource>>runCommand(replyTo -> new ResourceEntity.Create(ORG, body, T0, replyTo));
    String stored = result.event().resource().body();
    assertFalse(stored.contains("sk-secret-value"));
    assertNotEquals(body, stored);
    assertEquals(body, box.open(stored));
    assertEquals(body, result.reply().getValue().body());
  }
}
