package dev.tokenpool.admin;

import dev.tokenpool.config.OperatorLogins;
import dev.tokenpool.security.OwnerOnlyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' logins. Passwords are held only as SHA-256 digests and compared in constant time,
 * so neither a timing nor a heap dump of this object gives them away. With no admin password
 * configured, the node generates a random one at its first start and hands it to the operator in a
 * file only the node's user can read (never in the log, which others read); later starts read it
 * back, so it stays the same until the file is deleted. There is no built-in default.
 */
public final class Credentials {

  private static final Logger log = LoggerFactory.getLogger(Credentials.class);

  private final String adminUser;
  private final byte[] adminDigest;
  private final String monitorUser;
  private final Optional<byte[]> monitorDigest;

  private Credentials(
      String adminUser, byte[] adminDigest, String monitorUser, Optional<byte[]> monitorDigest) {
    this.adminUser = adminUser;
    this.adminDigest = adminDigest;
    this.monitorUser = monitorUser;
    this.monitorDigest = monitorDigest;
  }

  public static Credentials from(OperatorLogins logins) {
    String adminPassword = logins.adminPassword().orElseGet(() -> generatedPassword(logins));
    return new Credentials(
        logins.adminUser(),
        digest(logins.adminUser(), adminPassword),
        logins.monitorUser(),
        logins.monitorPassword().map(p -> digest(logins.monitorUser(), p)));
  }

  /**
   * The role these credentials grant, or empty if they grant none. The digests cover user and
   * password together and are compared in full, so the time taken tells nothing about either.
   */
  public Optional<Role> authenticate(String user, String password) {
    byte[] offered = digest(user, password);
    boolean admin = MessageDigest.isEqual(offered, adminDigest);
    boolean monitor = monitorDigest.map(d -> MessageDigest.isEqual(offered, d)).orElse(false);
    if (admin) {
      return Optional.of(Role.ADMIN);
    }
    return monitor ? Optional.of(Role.MONITOR) : Optional.empty();
  }

  /** A digest of user and password together, so equal passwords of two users differ. */
  private static byte[] digest(String user, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return sha.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String generatedPassword(OperatorLogins logins) {
    Path file = logins.generatedPasswordFile();
    Optional<String> kept = OwnerOnlyFile.read(file);
    String password =
        kept.orElseGet(
            () -> {
              String generated = generatePassword();
              OwnerOnlyFile.create(file, generated);
              return generated;
            });
    log.warn(
        "No TOKENPOOL_ADMIN_PASSWORD set: the password of admin user '{}' on this node is {} in {}"
            + " (readable by this user only)",
        logins.adminUser(),
        kept.isPresent() ? "the one generated before" : "generated now",
        file.toAbsolutePath());
    return password;
  }

  private static String generatePassword() {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
