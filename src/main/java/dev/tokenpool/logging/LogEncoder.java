package dev.tokenpool.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The console's encoder in logback.xml: {@link JsonLineEncoder} when {@code format} is {@code
 * json}, else the {@code pattern} (text). logback sets {@code format} from {@code
 * TOKENPOOL_LOG_FORMAT} (a system property or an environment variable). An unknown value writes
 * text and an error in logback's status; {@code TokenPoolConfig} refuses the same value, so the
 * node does not start with it.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {

  private String format = LogFormat.TEXT.value();
  private String pattern;
  private Encoder<ILoggingEvent> delegate;

  public void setFormat(String format) {
    this.format = format;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    LogFormat chosen = LogFormat.named(format).orElse(null);
    if (chosen == null) {
      addError(
          LogFormat.SETTING
              + "='"
              + format
              + "' must be json or text; writing text (the node refuses to start with it)");
      chosen = LogFormat.TEXT;
    }
    if (chosen == LogFormat.JSON) {
      delegate = new JsonLineEncoder();
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(pattern);
      delegate = text;
    }
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
