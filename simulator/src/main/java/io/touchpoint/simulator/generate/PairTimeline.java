package io.touchpoint.simulator.generate;

import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.Tally;
import io.touchpoint.simulator.plan.CandidatePlan;
import io.touchpoint.simulator.plan.NoiseGuard;
import io.touchpoint.simulator.plan.PairStory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The touches of one device-app pair. Every touch, planned or not, is admitted only if the {@link
 * NoiseGuard} proves it harmless to every candidate of the pair other than the one it wins; so no
 * later addition can change a planned verdict.
 */
final class PairTimeline {
  private final PairStory story;
  private final Instant from;
  private final Instant to;
  private final Tally tally;
  private final List<Touchpoint> touches = new ArrayList<>();

  PairTimeline(PairStory story, Instant from, Instant to, Tally tally) {
    this.story = story;
    this.from = from;
    this.to = to;
    this.tally = tally;
  }

  /** Adds the scenario's own touches; one refused here is a planning bug, counted for tests. */
  void addPlanned() {
    for (Touchpoint t : story.plannedTouches()) {
      if (winsSomething(t) && outside(t)) {
        throw new IllegalStateException("planned winner outside the simulated span: " + t);
      }
      if (outside(t)) {
        tally.add("touches.outside_span");
      } else if (!harmless(t)) {
        tally.add("guard.refused_planned");
      } else {
        touches.add(t);
      }
    }
  }

  /** Adds a noise touch if it is harmless; false means the caller may retry at another time. */
  boolean offer(Touchpoint t) {
    if (outside(t) || !harmless(t)) {
      return false;
    }
    touches.add(t);
    return true;
  }

  List<Touchpoint> touches() {
    return touches;
  }

  private boolean harmless(Touchpoint t) {
    for (CandidatePlan c : story.candidates()) {
      if (!NoiseGuard.harmless(t, c)) {
        return false;
      }
    }
    return true;
  }

  private boolean winsSomething(Touchpoint t) {
    return story.candidates().stream().anyMatch(c -> c.winner() == t);
  }

  private boolean outside(Touchpoint t) {
    return t.eventTime().isBefore(from) || !t.eventTime().isBefore(to);
  }
}
