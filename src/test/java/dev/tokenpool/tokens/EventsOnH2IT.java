package dev.tokenpool.tokens;

import dev.tokenpool.testing.TestDatabase;

/** Events of holdings on the embedded H2 database. */
final class EventsOnH2IT extends EventsContract {

  @Override
  TestDatabase newDatabase() {
    return TestDatabase.h2InMemory("events");
  }
}
