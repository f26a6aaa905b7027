package dev.requesttiming.servlet;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code http_server_requests_seconds} series as Prometheus reads it from the registry's scrape:
 * its labels, {@code _count} and {@code _sum}. Whether request-timing publishes it directly or through
 * Micrometer's timer, this is what a dashboard sees.
 */
record ScrapedSeries(Map<String, String> labels, long count, double sumSeconds) {

  private static final Pattern LINE =
      Pattern.compile("(?m)^http_server_requests_seconds_(count|sum)\\{(.*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  long sumMillis() {
    return Math.round(sumSeconds * 1000);
  }

  static List<ScrapedSeries> all(PrometheusMeterRegistry registry) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, Double> sums = new LinkedHashMap<>();
    Matcher line = LINE.matcher(registry.scrape());
    while (line.find()) {
      if (line.group(1).equals("count")) {
        counts.put(line.group(2), new long[] {(long) Double.parseDouble(line.group(3))});
      } else {
        sums.put(line.group(2), Double.parseDouble(line.group(3)));
      }
    }
    List<ScrapedSeries> series = new ArrayList<>();
    counts.forEach((labels, count) -> series.add(new ScrapedSeries(labels(labels), count[0], sums.getOrDefault(labels, 0.0))));
    return series;
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher label = LABEL.matcher(text);
    while (label.find()) {
      labels.put(label.group(1), label.group(2));
    }
    return labels;
  }
}
