package dev.parley.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import java.time.Duration;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import dev.parley.loadtest.bench.BenchProviders;
import dev.parley.loadtest.robot.CallerVoice;

/**
 * Concurrent voice calls against one or more Parley nodes, in Gatling's Java DSL. Each virtual
 * user is one caller: POST /call with an inline assistant on the loopback providers (OpenAI and
 * Deepgram protocols served at once by InstantProviders, which the node must be pointed at: see
 * gatling.sh), opens the returned {@code transport.websocketCallUrl}, speaks flite prompts as
 * 16 kHz PCM frames in real time for a few turns, checks the call's server messages (status-update
 * in-progress, the first message's audio, each reply's audio, status-update ended and the
 * end-of-call report after {@code end-call}) and closes. Users start evenly over the ramp; calls go
 * to the nodes in turn. Load and nodes: {@link SimulationSettings}. Run with
 * {@code mvn -Pgatling -pl load-tests -am integration-test -DskipTests -Dparley.keyFile=...}, or
 * gatling.sh, which also starts a node and the loopback providers.
 *
 * <p>Gatling has no check for a close the server starts: after the report the caller closes its
 * side, and Gatling logs a "close" request only when the server had not closed first.
 */
public class ParleyCallsSimulation extends Simulation {

  private static final int UNMATCHED_BUFFER = 2048;

  private final SimulationSettings settings = SimulationSettings.fromSystemProperties();
  private final CallerAudio audio = new CallerAudio(new CallerVoice());
  private final CallFigures figures = new CallFigures();

  {
    CallSteps steps = new CallSteps(settings, audio, figures, callBody());
    ScenarioBuilder calls = scenario("Parley calls")
        .feed(new NodeRoundRobin(settings.nodes()))
        .exec(steps.createCall(), steps.connect(), steps.turns(), steps.hangUp());
    HttpProtocolBuilder protocol = http
        .authorizationHeader("Bearer " + settings.apiKey())
        .wsUnmatchedInboundMessageBufferSize(UNMATCHED_BUFFER);
    OpenInjectionStep arrivals = settings.rampSeconds() == 0
        ? atOnceUsers(settings.users())
        : rampUsers(settings.users()).during(Duration.ofSeconds(settings.rampSeconds()));
    setUp(calls.injectOpen(arrivals).protocols(protocol))
        // every wait inside a call is bounded; this bounds the whole run too
        .maxDuration(Duration.ofSeconds(settings.rampSeconds() + settings.callSeconds() + 180L));
  }

  @Override
  public void before() {
    System.out.printf("Parley calls: %d users over %d s, %d s per call, %d turns (%.1f s of speech each on"
            + " average), nodes %s%n", settings.users(), settings.rampSeconds(), settings.callSeconds(),
        settings.turns(), audio.secondsOfSpeech(),
        settings.nodes().stream().map(Object::toString).collect(Collectors.joining(", ")));
  }

  @Override
  public void after() {
    System.out.println(figures.summary());
  }

  private static String callBody() {
    try {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode body = mapper.createObjectNode();
      body.set("assistant", mapper.readTree(BenchProviders.LOOPBACK.assistantJson()));
      body.set("transport", CallerAudio.FORMAT.transportJson());
      return body.toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the loopback assistant is not valid JSON", e);
    }
  }
}
