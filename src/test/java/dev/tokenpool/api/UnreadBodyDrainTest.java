package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What an answer left of a request body is read to its end, within the API's size limit. */
final class UnreadBodyDrainTest {

  /** A request body that counts what was read of it. */
  private static final class Body extends ServletInputStream {
    private final ByteArrayInputStream bytes;
    private final int size;

    Body(int size) {
      byte[] content = new byte[size];
      Arrays.fill(content, (byte) 'x');
      this.bytes = new ByteArrayInputStream(content);
      this.size = size;
    }

    int consumed() {
      return size - bytes.available();
    }

    @Override
    public int read() {
      return bytes.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      return bytes.read(buffer, offset, length);
    }

    @Override
    public boolean isFinished() {
      return bytes.available() == 0;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {}
  }

  private static ServletRequest request(Body body, long declared, boolean async) {
    return (ServletRequest)
        Proxy.newProxyInstance(
            UnreadBodyDrainTest.class.getClassLoader(),
            new Class<?>[] {ServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getContentLengthLong" -> declared;
                  case "isAsyncStarted" -> async;
                  case "getInputStream" -> body;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static final FilterChain ANSWERS_WITHOUT_READING = (request, response) -> {};

  @Test
  void readsTheBodyARefusalLeftUnread() throws Exception {
    Body body = new Body(5_000);

    new UnreadBodyDrain().doFilter(request(body, 5_000, false), null, ANSWERS_WITHOUT_READING);

    assertThat(body.consumed()).isEqualTo(5_000);
  }

  @Test
  void readsAChunkedBodyUpToTheLimitOnly() throws Exception {
    Body body = new Body(RequestSizeLimitFilter.MAX_BODY_BYTES + 10_000);

    new UnreadBodyDrain().doFilter(request(body, -1, false), null, ANSWERS_WITHOUT_READING);

    assertThat(body.consumed()).isBetween(RequestSizeLimitFilter.MAX_BODY_BYTES, 72 * 1024);
  }

  @Test
  void leavesAloneABodyDeclaredLongerThanTheLimitAndAnAsyncRequest() throws Exception {
    Body tooLong = new Body(100);
    Body waiting = new Body(100);

    new UnreadBodyDrain()
        .doFilter(
            request(tooLong, RequestSizeLimitFilter.MAX_BODY_BYTES + 1L, false),
            null,
            ANSWERS_WITHOUT_READING);
    new UnreadBodyDrain().doFilter(request(waiting, 100, true), null, ANSWERS_WITHOUT_READING);

    assertThat(tooLong.consumed()).isZero();
    assertThat(waiting.consumed()).isZero();
  }
}
