package dev.parley.loadtest.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * This JVM's classpath as a child JVM can use it. A test JVM forked by Maven Surefire may run from
 * a manifest-only jar whose {@code Class-Path} lists the real entries (URLs relative to the jar or
 * absolute); those are read back.
 */
public final class JavaClasspath {

  private JavaClasspath() {}

  public static String current() {
    return expand(System.getProperty("java.class.path"));
  }

  static String expand(String classpath) {
    String[] entries = classpath.split(File.pathSeparator);
    if (entries.length != 1 || !entries[0].endsWith(".jar")) {
      return classpath;
    }
    Path jar = Path.of(entries[0]).toAbsolutePath();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String listed = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (listed == null || listed.isBlank() || manifest.getMainAttributes().getValue("Main-Class") == null) {
        return classpath;
      }
      URI base = jar.getParent().toUri();
      List<String> real = new ArrayList<>();
      for (String url : listed.trim().split("\\s+")) {
        real.add(Path.of(base.resolve(url)).toString());
      }
      return String.join(File.pathSeparator, real);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the classpath jar " + jar, e);
    }
  }
}
