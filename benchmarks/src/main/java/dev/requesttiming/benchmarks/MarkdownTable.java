package dev.requesttiming.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's CSV results ({@code -rf csv}) into the Markdown tables of {@code benchmarks/README.md}:
 * each benchmark's score, error and allocation, its overhead over {@code baseline}, and the ratios
 * of request-timing's overhead to each peer's.
 */
public final class MarkdownTable {

  private record Row(String name, String param, double score, double error, String unit) {}

  private MarkdownTable() {}

  public static void main(String[] args) throws IOException {
    Map<String, Row> scores = new LinkedHashMap<>();
    Map<String, Row> allocations = new LinkedHashMap<>();
    for (String file : args) {
      for (Row row : read(Path.of(file))) {
        if (row.name.endsWith("gc.alloc.rate.norm")) {
          allocations.put(key(row.name.substring(0, row.name.indexOf(':')), row.param), row);
        } else if (!row.name.contains(":")) {
          scores.put(key(row.name, row.param), row);
        }
      }
    }
    System.out.println(table(scores, allocations));
  }

  private static String key(String name, String param) {
    return param.isEmpty() ? name : name + " (" + param + ")";
  }

  static String table(Map<String, Row> scores, Map<String, Row> allocations) {
    StringBuilder out = new StringBuilder();
    Row baseline = scores.get("FilterOverheadBenchmark.baseline");
    Row baselineAlloc = allocations.get("FilterOverheadBenchmark.baseline");
    out.append("| benchmark | score | ± error | overhead over baseline | B/op | B/op over baseline |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Row> e : scores.entrySet()) {
      Row r = e.getValue();
      Row alloc = allocations.get(e.getKey());
      boolean overheadRow = e.getKey().startsWith("FilterOverheadBenchmark.") && baseline != null;
      out.append("| `").append(e.getKey().replace("FilterOverheadBenchmark.", "")).append("` | ")
          .append(number(r.score)).append(' ').append(r.unit).append(" | ")
          .append(number(r.error)).append(" | ")
          .append(overheadRow ? number(r.score - baseline.score) + " ns" : "").append(" | ")
          .append(alloc == null ? "" : number(alloc.score)).append(" | ")
          .append(overheadRow && alloc != null && baselineAlloc != null ? number(alloc.score - baselineAlloc.score) : "")
          .append(" |\n");
    }
    Row ours = scores.get("FilterOverheadBenchmark.requestTiming");
    if (ours != null && baseline != null) {
      double ourOverhead = ours.score - baseline.score;
      out.append("\n| ratio of overheads (ns/op minus baseline) | value |\n|---|---:|\n");
      for (String peer : List.of("rawTimer", "prometheusSimpleclient", "dropwizard", "springObservation")) {
        Row p = scores.get("FilterOverheadBenchmark." + peer);
        if (p != null) {
          out.append("| requestTiming ÷ ").append(peer).append(" | ")
              .append(String.format(Locale.ROOT, "%.2f", ourOverhead / (p.score - baseline.score)))
              .append(" |\n");
        }
      }
    }
    return out.toString();
  }

  private static List<Row> read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = fields(lines.get(0));
    int name = header.indexOf("Benchmark");
    int score = header.indexOf("Score");
    int error = header.indexOf("Score Error (99.9%)");
    int unit = header.indexOf("Unit");
    List<Integer> params = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).startsWith("Param: ")) {
        params.add(i);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = fields(line);
      StringBuilder param = new StringBuilder();
      for (int i : params) {
        if (i < f.size() && !f.get(i).isEmpty()) {
          param.append(param.length() == 0 ? "" : ", ")
              .append(header.get(i).substring("Param: ".length())).append('=').append(f.get(i));
        }
      }
      String fullName = f.get(name).replace("dev.requesttiming.benchmarks.", "");
      rows.add(new Row(fullName, param.toString(), parse(f.get(score)), parse(f.get(error)), f.get(unit)));
    }
    return rows;
  }

  private static double parse(String text) {
    return text.isEmpty() || text.equals("NaN") ? Double.NaN : Double.parseDouble(text);
  }

  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.1f", value);
  }
}
