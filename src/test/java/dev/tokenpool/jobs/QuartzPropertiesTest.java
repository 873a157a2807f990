package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The scheduler's waits follow the catalogue's shortest interval, unless a setting says. */
class QuartzPropertiesTest {

  private static SchedulerSettings settings(Map<String, String> values) {
    return TokenPoolConfig.from(
            name ->
                Optional.ofNullable(
                    name.equals(TokenPoolConfig.NODE_ID) ? "test-node" : values.get(name)))
        .scheduler();
  }

  @Test
  void theMisfireThresholdIsHalfTheShortestIntervalAtMostTenSecondsUnlessSet() {
    SchedulerSettings defaults = settings(Map.of());
    assertThat(QuartzProperties.misfireThreshold(defaults, Duration.ofSeconds(4)))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(QuartzProperties.misfireThreshold(defaults, Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(10));
    SchedulerSettings set = settings(Map.of(SchedulerSettings.MISFIRE_THRESHOLD, "PT0.5S"));
    assertThat(QuartzProperties.misfireThreshold(set, Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void theIdleWaitIsHalfTheShortestIntervalFromOneToThirtySeconds() {
    assertThat(QuartzProperties.idleWait(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(QuartzProperties.idleWait(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
    assertThat(QuartzProperties.idleWait(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    Properties quartz =
        QuartzProperties.forNode("n", settings(Map.of()), "ds", Duration.ofSeconds(4));
    assertThat(quartz.getProperty("org.quartz.scheduler.idleWaitTime")).isEqualTo("2000");
    assertThat(quartz.getProperty("org.quartz.jobStore.misfireThreshold")).isEqualTo("2000");
  }
}
