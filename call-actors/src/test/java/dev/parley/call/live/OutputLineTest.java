package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What does not fit into a caller's output line is counted, never lost without a trace. */
class OutputLineTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Materializer materializer = Materializer.matFromSystem(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void whatWaitsBeforeTheQueueIsBoundGoesFirstAndWhatOverflowsIsCounted() throws Exception {
    OutputLine line = new OutputLine(2, "c-1");
    line.offer(message("a"));
    line.offer(message("b"));
    line.offer(message("c"));
    assertEquals(1, line.lost());

    Pair<BoundedSourceQueue<CallerOutput>, java.util.concurrent.CompletionStage<List<CallerOutput>>> running =
        Source.<CallerOutput>queue(4).toMat(Sink.seq(), Keep.both()).run(materializer);
    line.bind(running.first());
    line.offer(message("d"));
    line.complete();
    List<CallerOutput> received = running.second().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("a", "b", "d"), received.stream().map(o -> ((CallerOutput.Message) o).json()).toList());
    assertEquals(1, line.lost());
  }

  @Test
  void aQueueNobodyReadsDropsAndCountsWhatDoesNotFit() throws Exception {
    OutputLine line = new OutputLine(8, "c-2");
    Pair<BoundedSourceQueue<CallerOutput>, org.reactivestreams.Publisher<CallerOutput>> running =
        Source.<CallerOutput>queue(2).toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both()).run(materializer);
    line.bind(running.first());
    for (int i = 0; i < 5; i++) {
      line.offer(message("m" + i));
    }
    assertEquals(3, line.lost());
    List<CallerOutput> read = Source.fromPublisher(running.second()).take(2).runWith(Sink.seq(), materializer)
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("m0", "m1"), read.stream().map(o -> ((CallerOutput.Message) o).json()).toList());
  }

  private static CallerOutput message(String json) {
    return new CallerOutput.Message(json);
  }
}
