package dev.parley.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The repository's files as the deploy tests read them: the source tree, never a build output. */
final class RepoFiles {

  /** The repository root (the deploy module's pom passes it; ".." when run from deploy/). */
  static final Path ROOT = Path.of(System.getProperty("parley.repo.dir", "..")).toAbsolutePath().normalize();

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private RepoFiles() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a (multi-document) YAML file. */
  static List<JsonNode> yamlDocuments(Path file) {
    try {
      return YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll().stream()
          .filter(document -> !document.isMissingNode() && !document.isNull())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + ROOT.relativize(file), e);
    }
  }

  static JsonNode json(String relative) {
    try {
      return JSON.readTree(path(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + relative, e);
    }
  }

  /** Files under a directory of the repository whose names end with the suffix, sorted. */
  static List<Path> filesUnder(String relativeDir, String suffix) {
    try (Stream<Path> files = Files.walk(path(relativeDir))) {
      return files.filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
