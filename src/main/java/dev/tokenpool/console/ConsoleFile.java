package dev.tokenpool.console;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One file of the console, held in memory with its media type and a validator for caches. */
record ConsoleFile(byte[] content, String mediaType, String etag) {

  private static final Map<String, String> MEDIA_TYPES =
      Map.of(
          "html", "text/html;charset=UTF-8",
          "css", "text/css;charset=UTF-8",
          "js", "text/javascript;charset=UTF-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  /** The file, or empty if its type is none the console serves. */
  static Optional<ConsoleFile> of(String name, byte[] content) {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return Optional.ofNullable(MEDIA_TYPES.get(extension))
        .map(type -> new ConsoleFile(content, type, etag(content)));
  }

  private static String etag(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
