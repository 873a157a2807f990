package dev.tokenpool.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the credentials a request carries: Basic, Bearer, or the console's session cookie. */
final class AuthorizationHeader {

  static final String SESSION_COOKIE = "tokenpool_session";

  /** RFC 6750's b64token, compiled once: every bearer request is checked against it. */
  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private AuthorizationHeader() {}

  /** A Basic login. */
  record BasicLogin(String user, String password) {
    @Override
    public String toString() {
      return "BasicLogin{" + user + "}"; // never the password
    }
  }

  static boolean isBasic(String header) {
    return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
  }

  static boolean isBearer(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** The bearer credential (RFC 6750's b64token), or empty if absent or malformed. */
  static Optional<String> bearer(String header) {
    if (!isBearer(header)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() || !B64TOKEN.matcher(token).matches()
        ? Optional.empty()
        : Optional.of(token);
  }

  /** User and password of a Basic header, or empty if there is none or it is malformed. */
  static Optional<BasicLogin> basic(String header) {
    if (!isBasic(header)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? Optional.empty()
          : Optional.of(new BasicLogin(decoded.substring(0, colon), decoded.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String of(ContainerRequestContext request) {
    return request.getHeaderString(HttpHeaders.AUTHORIZATION);
  }

  static Optional<String> sessionCookie(ContainerRequestContext request) {
    Cookie cookie = request.getCookies().get(SESSION_COOKIE);
    return cookie == null || cookie.getValue().isEmpty()
        ? Optional.empty()
        : Optional.of(cookie.getValue());
  }
}
