package dev.parley.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.function.Supplier;

import dev.parley.registry.keys.ApiKeys;
import dev.parley.registry.keys.KeyKind;

/**
 * The development org and its keys: made once, kept in the data directory (owner-readable only)
 * and reused by later starts, so scripts written against them keep working.
 */
public final class DevApiKey {

  public static final String FILE_NAME = "dev-api-key";
  public static final String PUBLIC_FILE_NAME = "dev-public-key";
  public static final String CREDENTIAL_KEY_FILE_NAME = "credential-key";
  public static final String CALL_TOKEN_SECRET_FILE_NAME = "call-token-secret";
  /** Stable, so the dev org's data survives restarts. */
  public static final String DEV_ORG_ID = UUID.nameUUIDFromBytes("parley-dev-org".getBytes(StandardCharsets.UTF_8)).toString();

  /** The dev org's keys. */
  public record Keys(String privateKey, String publicKey) {}

  private DevApiKey() {}

  public static Keys ensure(Path dataDir) {
    return new Keys(
        ensureFile(dataDir.resolve(FILE_NAME), () -> ApiKeys.newKey(KeyKind.PRIVATE)),
        ensureFile(dataDir.resolve(PUBLIC_FILE_NAME), () -> ApiKeys.newKey(KeyKind.PUBLIC)));
  }

  /** The content of {@code file}, created with a new value (mode 600) when missing or empty. */
  static String ensureFile(Path file, Supplier<String> newValue) {
    try {
      if (Files.isRegularFile(file)) {
        String existing = Files.readString(file).strip();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      Files.createDirectories(file.getParent());
      String value = newValue.get();
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, value + "\n");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the file system has no POSIX permissions; the file stays as readable as the data dir
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep " + file, e);
    }
  }
}
