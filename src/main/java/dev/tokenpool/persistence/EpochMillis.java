package dev.tokenpool.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;

/**
 * Stores instants as epoch milliseconds (UTC). Exact on H2, MySQL and MariaDB alike, whatever the
 * JVM's, session's or server's time zone; MySQL Connector/J would drop the fraction of a DATETIME
 * when talking to MariaDB 10.x, which it mistakes for MySQL 5.5.
 */
@Converter
public final class EpochMillis implements AttributeConverter<Instant, Long> {

  @Override
  public Long convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  @Override
  public Instant convertToEntityAttribute(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
