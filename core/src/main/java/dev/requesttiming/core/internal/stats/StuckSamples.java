package dev.requesttiming.core.internal.stats;

import dev.requesttiming.core.EndpointReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint's stack samples of the interval, counted by the watchdog's stuck site: where its slow requests
 * were stuck. At most {@value #MAX_SITES} distinct sites are told apart; later new ones count as
 * "other sites", so memory stays bounded.
 *
 * <p>Thread-safe: the watchdog adds, the reporter drains, each under this object's lock, which
 * request threads never take.
 */
public final class StuckSamples {

  static final int MAX_SITES = 16;
  static final String OTHER = "(other sites)";

  private final Map<String, long[]> counts = new HashMap<>();
  private long total;

  public synchronized void add(String site) {
    long[] count = counts.get(site);
    if (count == null) { // a new site, or past the bound one more for the others
      count = counts.computeIfAbsent(counts.size() < MAX_SITES ? site : OTHER, key -> new long[1]);
    }
    count[0]++;
    total++;
  }

  /** The site with the most samples since the last drain, not {@value #OTHER}; null when none. */
  public synchronized @Nullable String top() {
    String top = null;
    long most = 0;
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      if (!e.getKey().equals(OTHER) && e.getValue()[0] > most) {
        top = e.getKey();
        most = e.getValue()[0];
      }
    }
    return top;
  }

  /**
   * The sites sampled since the last drain, most samples first but {@value #OTHER} last, at most
   * {@code top}; then resets.
   */
  public synchronized List<EndpointReport.Site> drain(int top) {
    List<EndpointReport.Site> sites = new ArrayList<>();
    long all = total;
    counts.forEach((site, count) -> sites.add(new EndpointReport.Site(site, count[0], (double) count[0] / all)));
    // most samples first; the others last, so that the top site is always a real one
    sites.sort(Comparator.comparing((EndpointReport.Site s) -> s.site().equals(OTHER)).thenComparing(s -> -s.samples()));
    counts.clear();
    total = 0;
    return List.copyOf(sites.subList(0, Math.min(top, sites.size())));
  }
}
