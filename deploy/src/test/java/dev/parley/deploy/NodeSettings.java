package dev.parley.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;

/**
 * What a node reads, taken from the modules' source files: the "cluster" profile as NodeConfig
 * loads it (profile file, includes, every module's reference.conf) with no environment variables
 * set, and the PARLEY_* variables the node reads at all.
 */
final class NodeSettings {

  private static final Pattern CONF_VARIABLE = Pattern.compile("\\$\\{\\?(PARLEY_[A-Z0-9_]+)}");
  private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\$\\{?(PARLEY_[A-Z0-9_]+)");
  private static final Pattern PROFILE_VARIABLE = Pattern.compile("PROFILE_ENV = \"(PARLEY_[A-Z0-9_]+)\"");

  static final String LAUNCHER = "cluster-node/src/main/dist/bin/parley-node";
  static final String NODE_CONFIG = "cluster-node/src/main/java/dev/parley/node/NodeConfig.java";

  private NodeSettings() {}

  /** The cluster profile's configuration, defaults only. */
  static Config clusterProfile() {
    ClassLoader sources = new URLClassLoader(urls(resourceDirectories()), null);
    return ConfigFactory.parseResourcesAnySyntax(sources, "cluster")
        .withFallback(ConfigFactory.parseResources(sources, "reference.conf"))
        // Pekko's own defaults (coordinated shutdown phases) from the libraries on the test classpath
        .withFallback(ConfigFactory.defaultReference())
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
  }

  static int httpPort() {
    return clusterProfile().getInt("parley.http.port");
  }

  static int remotingPort() {
    return clusterProfile().getInt("parley.cluster.port");
  }

  static int managementPort() {
    return clusterProfile().getInt("pekko.management.http.port");
  }

  /**
   * PARLEY_* variables a node reads: {@code ${?PARLEY_...}} in every module's
   * src/main/resources/*.conf, the profile variable of NodeConfig and the launcher's own.
   */
  static Set<String> variablesRead() {
    Set<String> names = new TreeSet<>();
    for (Path directory : resourceDirectories()) {
      try (Stream<Path> files = Files.list(directory)) {
        files.filter(file -> file.toString().endsWith(".conf"))
            .forEach(file -> names.addAll(matches(CONF_VARIABLE, read(file))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    names.addAll(matches(PROFILE_VARIABLE, RepoFiles.read(NODE_CONFIG)));
    names.addAll(matches(LAUNCHER_VARIABLE, RepoFiles.read(LAUNCHER)));
    return names;
  }

  static List<Path> resourceDirectories() {
    try (Stream<Path> modules = Files.list(RepoFiles.ROOT)) {
      return modules.map(module -> module.resolve("src/main/resources"))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static URL[] urls(List<Path> directories) {
    return directories.stream().map(directory -> {
      try {
        return directory.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }).toArray(URL[]::new);
  }
}
