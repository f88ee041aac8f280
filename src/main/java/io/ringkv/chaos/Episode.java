package io.ringkv.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a fault schedule: wait {@code gapMs} of calm, start every action together, hold
 * them for {@code holdMs}, then heal them all (restarts take what they take on top).
 */
public record Episode(int number, long gapMs, long holdMs, List<FaultAction> actions) {
  public Episode {
    actions = List.copyOf(actions);
  }

  /** Every node the episode makes faulty. */
  public List<String> nodes() {
    List<String> all = new ArrayList<>();
    actions.forEach(a -> all.addAll(a.nodes()));
    return all;
  }

  public String describe() {
    return actions.stream().map(FaultAction::describe).collect(Collectors.joining(" + "));
  }
}
