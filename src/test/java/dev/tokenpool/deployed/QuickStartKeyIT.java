package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.TomcatNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start's first credential: a fresh embedded node started by deploy/run.sh writes one
 * service API key to a file only its owner can read and says where in its log (never the key).
 * (That a file already there means no second key is {@code InitialApiKey}'s first line; a second
 * Tomcat start to show it again would cost this suite half a minute.)
 */
class QuickStartKeyIT {

  @TempDir Path dataDir;

  @Test
  void aFreshEmbeddedNodeHandsItsFirstKeyOverInAnOwnerOnlyFile() throws Exception {
    Path file = dataDir.resolve("initial-api-key");
    try (TomcatNode node =
        TomcatNode.start(
            "quickstart",
            TomcatNode.freePort(),
            Map.of("TOKENPOOL_DATA_DIR", dataDir.toString()))) {
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String key = Files.readString(file).strip();
      assertThat(key).startsWith("tpk_");
      ApiClient api = new ApiClient(URI.create(node.url()).toURL());
      assertThat(api.activate("first-user").status()).isEqualTo(401);
      assertThat(api.withBearer(key).activate("first-user").status()).isEqualTo(200);
      assertThat(node.log()).contains(file.toString()).doesNotContain(key);
    }
  }
}
