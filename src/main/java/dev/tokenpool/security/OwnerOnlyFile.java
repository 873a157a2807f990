package dev.tokenpool.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A secret handed to the operator in a file only the node's user can read: created with mode 600
 * (never widened afterwards), one line. A node reads such a file back only while nobody else can
 * read it.
 */
public final class OwnerOnlyFile {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFile() {}

  /** Creates {@code file} (and its directory) holding {@code secret}; fails if it exists. */
  public static void create(Path file, String secret) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (Writer out =
          Files.newBufferedWriter(
              Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)),
              StandardCharsets.UTF_8,
              StandardOpenOption.WRITE)) {
        out.write(secret);
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the secret file " + file, e);
    }
  }

  /**
   * The secret in {@code file}, or empty if there is no such file. A file others may read, or an
   * empty one, is refused: its secret must be taken as known.
   */
  public static Optional<String> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        throw new IllegalStateException(
            file
                + " may be read by others ("
                + PosixFilePermissions.toString(permissions)
                + "): delete it, the node writes a new secret with mode 600");
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw new IllegalStateException(file + " is empty: delete it, the node writes a new one");
      }
      return Optional.of(secret);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the secret file " + file, e);
    }
  }
}
