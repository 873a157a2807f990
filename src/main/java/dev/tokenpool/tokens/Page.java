package dev.tokenpool.tokens;

import java.util.List;
import java.util.Optional;

/**
 * One page of an ordered listing. {@code nextAfter} is the position to continue after, empty on the
 * last page.
 */
public record Page<T>(List<T> items, Optional<Long> nextAfter) {

  public Page {
    items = List.copyOf(items);
  }
}
