package dev.requesttiming.core.internal.report;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.internal.metrics.ConnectionPools;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where slow requests waited across all endpoints: the endpoints' stuck sites without their
 * application frame ({@code waiting for a database connection from HikariPool-1}), summed, so that a
 * pool or a lock too small for the load is the first thing a report says. A HikariCP pool is told
 * with how full it is now, from its gauges.
 */
final class TopWaits {

  static final int TOP = 3;
  private static final String OTHER_SITES = "(other sites)";
  /** An application frame as a site starts with it: {@code OwnerController.show(OwnerController.java:88) }. */
  private static final Pattern APP_FRAME = Pattern.compile("^[^\\s(]+\\([^)]*\\) ");

  private TopWaits() {}

  static List<EndpointReport.Site> of(Collection<List<EndpointReport.Site>> sitesOfEndpoints, ConnectionPools pools) {
    Map<String, Long> samples = new HashMap<>();
    long total = 0;
    for (List<EndpointReport.Site> sites : sitesOfEndpoints) {
      for (EndpointReport.Site site : sites) {
        if (!site.site().equals(OTHER_SITES)) {
          samples.merge(waitOf(site.site()), site.samples(), Long::sum);
          total += site.samples();
        }
      }
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(samples.entrySet());
    ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<EndpointReport.Site> top = new ArrayList<>();
    for (Map.Entry<String, Long> wait : ranked.subList(0, Math.min(TOP, ranked.size()))) {
      top.add(new EndpointReport.Site(withPoolState(wait.getKey(), pools), wait.getValue(), (double) wait.getValue() / total));
    }
    return top;
  }

  /** The wait of a site: the site without its application frame; a request on the CPU is "running on the CPU". */
  static String waitOf(String site) {
    Matcher app = APP_FRAME.matcher(site);
    String wait = app.find() ? site.substring(app.end()) : site;
    return wait.equals("running") ? "running on the CPU" : wait;
  }

  private static String withPoolState(String wait, ConnectionPools pools) {
    if (!wait.startsWith(ConnectionPools.WAITING_FROM)) {
      return wait;
    }
    String state = pools.hikariState(wait.substring(ConnectionPools.WAITING_FROM.length()));
    return state == null ? wait : wait + " (" + state + ")";
  }
}
