package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.engine.Endpoint;
import dev.requesttiming.core.internal.engine.Engine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who holds the workers now: the endpoints of the requests in flight, most requests first, with
 * where their slow requests are stuck, for the saturation and refusal lines. Each request is named
 * as its flags would name it (a path's name before its route is known, since a log line makes no
 * series). Used by the watchdog thread.
 */
final class Holders {

  private Holders() {}

  /** The {@code most} endpoints holding the most requests in flight, except those {@code skip} names. */
  static String of(Engine engine, int most, Predicate<String> skip) {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Endpoint> known = new HashMap<>();
    engine.inFlight().forEach(request -> {
      if (!request.isFinished()) {
        String uri = engine.runningName(request).uri();
        String name = request.method().name() + " " + uri;
        if (!skip.test(name) && counts.merge(name, 1, Integer::sum) == 1) {
          Endpoint endpoint = engine.endpoints().existing(request.method(), uri);
          if (endpoint != null) {
            known.put(name, endpoint);
          }
        }
      }
    });
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
    List<String> held = new ArrayList<>();
    for (Map.Entry<String, Integer> h : ranked.subList(0, Math.min(most, ranked.size()))) {
      Endpoint endpoint = known.get(h.getKey());
      String stuck = endpoint == null ? null : endpoint.stuck().top();
      held.add(h.getKey() + " " + h.getValue() + (stuck == null ? "" : " (stuck at " + stuck + ")"));
    }
    return held.isEmpty() ? "none" : String.join(", ", held);
  }
}
