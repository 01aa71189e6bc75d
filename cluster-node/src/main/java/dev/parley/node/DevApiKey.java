package dev.parley.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The development API key: made once, kept in {@code <data-dir>/dev-api-key} (owner-readable
 * only) and reused by later starts, so scripts written against it keep working.
 */
public final class DevApiKey {

  public static final String FILE_NAME = "dev-api-key";
  private static final SecureRandom RANDOM = new SecureRandom();

  private DevApiKey() {}

  public static String ensure(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.isRegularFile(file)) {
        String existing = Files.readString(file).strip();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      Files.createDirectories(dataDir);
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      String key = "pk_dev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
      Files.writeString(tmp, key + "\n");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the file system has no POSIX permissions; the key stays as readable as the data dir
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the dev API key in " + file, e);
    }
  }
}
