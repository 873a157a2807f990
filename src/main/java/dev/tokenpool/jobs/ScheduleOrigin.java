package dev.tokenpool.jobs;

import java.time.Instant;
import java.util.Optional;
import org.quartz.JobDataMap;
import org.quartz.Trigger;

/**
 * Who set a job's stored schedule, and when: a node from its setting, or an operator. Kept in the
 * trigger's data in the shared job store, so every node reads the same answer, and a node that
 * starts with another setting leaves an operator's schedule alone.
 *
 * @param setBy {@link #SETTING}, or the operator's name
 * @param setAt when it was stored; empty for a schedule stored before origins were recorded
 */
public record ScheduleOrigin(String setBy, Optional<Instant> setAt) {

  /** The setBy of a schedule a node took from its setting. */
  public static final String SETTING = "setting";

  private static final String SET_BY = "tokenpool.schedule.setBy";
  private static final String SET_AT = "tokenpool.schedule.setAt";

  static ScheduleOrigin setting(Instant at) {
    return new ScheduleOrigin(SETTING, Optional.of(at));
  }

  static ScheduleOrigin operator(String name, Instant at) {
    return new ScheduleOrigin(name, Optional.of(at));
  }

  /** Read from a stored trigger; one without a recorded origin came from a setting. */
  static ScheduleOrigin of(Trigger trigger) {
    JobDataMap data = trigger.getJobDataMap();
    String setBy = data.getString(SET_BY);
    String setAt = data.getString(SET_AT);
    return new ScheduleOrigin(setBy == null ? SETTING : setBy, instant(setAt));
  }

  /** A time this class wrote; anything else in the job store (edited by hand) counts as unknown. */
  private static Optional<Instant> instant(String text) {
    try {
      return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether an operator set the schedule (a node's setting does not replace it). */
  public boolean byOperator() {
    return !SETTING.equals(setBy);
  }

  /** The trigger data that records this origin (strings only: the job store keeps properties). */
  JobDataMap data() {
    JobDataMap data = new JobDataMap();
    data.put(SET_BY, setBy);
    setAt.ifPresent(at -> data.put(SET_AT, at.toString()));
    return data;
  }
}
