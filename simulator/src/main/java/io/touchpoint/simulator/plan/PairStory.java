package io.touchpoint.simulator.plan;

import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.device.SimDevice;
import io.touchpoint.simulator.world.SimApp;
import java.util.ArrayList;
import java.util.List;

/**
 * What one device does with one app: its candidates with their planned verdicts, the touches the
 * scenarios placed on purpose (winners and deliberate noise), and the spans it has the app.
 */
public final class PairStory {
  private final SimDevice device;
  private final SimApp app;
  private final List<CandidatePlan> candidates = new ArrayList<>();
  private final List<Touchpoint> plannedTouches = new ArrayList<>();
  private final List<AppLife> lives = new ArrayList<>();
  private boolean retargetable;

  public PairStory(SimDevice device, SimApp app) {
    this.device = device;
    this.app = app;
  }

  public SimDevice device() {
    return device;
  }

  public SimApp app() {
    return app;
  }

  public List<CandidatePlan> candidates() {
    return candidates;
  }

  public List<Touchpoint> plannedTouches() {
    return plannedTouches;
  }

  public List<AppLife> lives() {
    return lives;
  }

  /** Whether retargeting campaigns aim at this device (it has or had the app). */
  public boolean retargetable() {
    return retargetable;
  }

  void markRetargetable() {
    retargetable = true;
  }

  void add(CandidatePlan candidate) {
    candidates.add(candidate);
  }

  void touch(Touchpoint t) {
    plannedTouches.add(t);
  }

  void life(AppLife life) {
    lives.add(life);
  }
}
