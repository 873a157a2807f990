package dev.tokenpool.security;

/** A key just created, with the secret that is shown this once and stored only as a digest. */
public record IssuedApiKey(ApiKey key, String secret) {

  @Override
  public String toString() {
    return "IssuedApiKey{" + key + "}"; // never the secret
  }
}
