package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** deploy/docker/Dockerfile against the packaged node, its configuration and its prerequisites. */
class DockerfileTest {

  private static final String DOCKERFILE = "deploy/docker/Dockerfile";
  /** scripts/prerequisites.sh installs these for the tests only (test audio, browser tests). */
  private static final Set<String> TEST_ONLY_PACKAGES = Set.of("sox", "chromium");

  private final Dockerfile dockerfile = Dockerfile.parse(RepoFiles.read(DOCKERFILE));

  @Test
  void exposesTheNodesDefaultPorts() {
    Set<Integer> exposed = new TreeSet<>();
    dockerfile.arguments("EXPOSE").forEach(line ->
        Arrays.stream(line.split("\\s+")).forEach(port -> exposed.add(Integer.parseInt(port))));
    assertEquals(new TreeSet<>(Set.of(NodeSettings.httpPort(), NodeSettings.remotingPort(), NodeSettings.managementPort())),
        exposed);
  }

  @Test
  void installsTheSpeechPackagesOfThePrerequisitesAndAJava17Runtime() {
    Set<String> speech = words(arg("SPEECH_PACKAGES"));
    Set<String> expected = new LinkedHashSet<>(prerequisitePackages());
    assertTrue(expected.containsAll(TEST_ONLY_PACKAGES), "prerequisites.sh still lists " + TEST_ONLY_PACKAGES);
    expected.removeAll(TEST_ONLY_PACKAGES);
    assertEquals(expected, speech);

    Set<String> installed = installedPackages();
    Set<String> rest = new TreeSet<>(installed);
    rest.removeAll(speech);
    assertTrue(installed.containsAll(speech), "installed: " + installed);
    assertEquals(Set.of("openjdk-17-jre-headless", "ca-certificates"), rest);
  }

  @Test
  void runsTheClusterProfileAsAnUnprivilegedUser() {
    Map<String, String> env = env();
    assertEquals("cluster", env.get("PARLEY_PROFILE"));
    Set<String> unknown = new TreeSet<>(env.keySet());
    unknown.removeAll(NodeSettings.variablesRead());
    assertEquals(Set.of(), unknown, "variables the node does not read");

    List<String> users = dockerfile.arguments("USER");
    assertEquals(1, users.size());
    String user = users.get(0).split(":")[0];
    assertFalse(user.equals("root") || user.equals("0"), "USER " + user);
  }

  @Test
  void packsTheDistributionTheBuildProduces() {
    // cluster-node's assembly: finalName parley-node, a tar.gz, base directory parley-node
    assertTrue(RepoFiles.read("cluster-node/pom.xml").contains("<finalName>parley-node</finalName>"));
    String assembly = RepoFiles.read("cluster-node/src/assembly/dist.xml");
    assertTrue(assembly.contains("<format>tar.gz</format>") && assembly.contains("<baseDirectory>parley-node</baseDirectory>"));

    assertEquals(List.of("parley-node.tar.gz /opt/"), dockerfile.arguments("ADD"));
    assertEquals(List.of("*", "!parley-node.tar.gz"), RepoFiles.read(DOCKERFILE + ".dockerignore").lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());

    assertEquals(List.of("[\"/opt/parley-node/bin/parley-node\"]"), dockerfile.arguments("ENTRYPOINT"));
    assertTrue(Files.isRegularFile(RepoFiles.path(NodeSettings.LAUNCHER)), NodeSettings.LAUNCHER);
    assertTrue(dockerfile.arguments("COPY").contains("--from=unpack /opt/parley-node/bin /opt/parley-node/bin"));
    assertTrue(dockerfile.arguments("COPY").contains("--from=unpack /opt/parley-node/lib /opt/parley-node/lib"));
  }

  /** Packages of every `apt-get install` in RUN instructions, ARGs expanded. */
  private Set<String> installedPackages() {
    Set<String> packages = new TreeSet<>();
    for (String run : dockerfile.arguments("RUN")) {
      for (String command : run.split("&&")) {
        String[] words = command.strip().split("\\s+");
        int install = Arrays.asList(words).indexOf("install");
        if (install < 0 || !Arrays.asList(words).contains("apt-get")) {
          continue;
        }
        for (String word : Arrays.copyOfRange(words, install + 1, words.length)) {
          if (word.equals("${SPEECH_PACKAGES}")) {
            packages.addAll(words(arg("SPEECH_PACKAGES")));
          } else if (!word.startsWith("-")) {
            packages.add(word);
          }
        }
      }
    }
    return packages;
  }

  private String arg(String name) {
    for (String arg : dockerfile.arguments("ARG")) {
      if (arg.startsWith(name + "=")) {
        return unquote(arg.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no ARG " + name);
  }

  /** ENV instructions in the KEY=value form, possibly several per instruction. */
  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    Matcher matcher = Pattern.compile("([A-Z0-9_]+)=(\"[^\"]*\"|\\S+)").matcher(String.join(" ", dockerfile.arguments("ENV")));
    while (matcher.find()) {
      env.put(matcher.group(1), unquote(matcher.group(2)));
    }
    return env;
  }

  /** SPEECH_PACKAGES=(...) in scripts/prerequisites.sh. */
  private static Set<String> prerequisitePackages() {
    Matcher matcher = Pattern.compile("(?m)^SPEECH_PACKAGES=\\(([^)]*)\\)").matcher(RepoFiles.read("scripts/prerequisites.sh"));
    assertTrue(matcher.find(), "SPEECH_PACKAGES in scripts/prerequisites.sh");
    return words(matcher.group(1));
  }

  private static Set<String> words(String text) {
    return new LinkedHashSet<>(Arrays.asList(text.strip().split("\\s+")));
  }

  private static String unquote(String value) {
    return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }
}
