package dev.tokenpool.bootstrap;

import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.security.IssuedApiKey;
import dev.tokenpool.security.OwnerOnlyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quick start's first credential: a fresh embedded node without an identity provider and
 * without any API key creates one service key and writes it to a file only its owner can read
 * (created with mode 600, never widened), then says in the log where the file is, never the key.
 * The file also marks the key as handed out: a node that finds it creates no other.
 */
final class InitialApiKey {

  private static final Logger log = LoggerFactory.getLogger(InitialApiKey.class);
  static final String NAME = "quickstart";

  private InitialApiKey() {}

  static Optional<Path> ensure(ApiKeys keys, Path file) {
    if (Files.exists(file) || !keys.isEmpty()) {
      return Optional.empty();
    }
    IssuedApiKey issued = keys.create(NAME, ClientRole.SERVICE, Optional.empty(), "first-start");
    OwnerOnlyFile.create(file, issued.secret());
    log.warn(
        "Created the service API key '{}' at this first start; it is in {} (readable by this"
            + " user only). Send it as 'Authorization: Bearer <key>'.",
        NAME,
        file.toAbsolutePath());
    return Optional.of(file);
  }
}
