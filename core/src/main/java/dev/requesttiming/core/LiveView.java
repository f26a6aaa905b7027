package dev.requesttiming.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The live view's page: one HTML page with its own script and style and no other resource, which
 * reads {@link RequestTimingReports#liveJson} every 2 s (not while hidden) and draws the requests running
 * now against their budgets, the ranked endpoints, the recent slow requests and the workers' fill.
 * Adapters serve its {@link #asset assets} with {@link #HEADERS}; the app keeps them behind its
 * authentication.
 */
public final class LiveView {

  /**
   * The headers of every response of the view: a strict Content-Security-Policy (the page's own
   * script and style only, no inline code, no frames), {@code nosniff}, {@code no-store}, no referrer.
   */
  public static final Map<String, String> HEADERS = headers();

  /** How many of the oldest requests in flight a snapshot lists unless asked for another number. */
  public static final int DEFAULT_RUNNING = 50;

  /** A file of the view: its content type and bytes. */
  public record Asset(String contentType, byte[] content) {}

  private LiveView() {}

  private static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
        + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Cache-Control", "no-store");
    headers.put("Referrer-Policy", "no-referrer");
    return Map.copyOf(headers);
  }

  /**
   * The page ({@code index.html}), its script ({@code view.js}) or its style ({@code view.css}).
   *
   * @param snapshotUrl where the page reads the snapshot JSON, relative to the page (e.g. {@code snapshot.json})
   * @param assetsUrl where the script and style are, relative to the page, ending in {@code /} or empty
   * @return null for any other name
   */
  public static @Nullable Asset asset(String name, String snapshotUrl, String assetsUrl) {
    Objects.requireNonNull(snapshotUrl, "snapshotUrl == null");
    Objects.requireNonNull(assetsUrl, "assetsUrl == null");
    return switch (name) {
      case "index.html" -> new Asset("text/html;charset=utf-8", read("index.html")
          .replace("%SNAPSHOT%", attribute(snapshotUrl)).replace("%ASSETS%", attribute(assetsUrl))
          .getBytes(StandardCharsets.UTF_8));
      case "view.js" -> new Asset("text/javascript;charset=utf-8", read("view.js").getBytes(StandardCharsets.UTF_8));
      case "view.css" -> new Asset("text/css;charset=utf-8", read("view.css").getBytes(StandardCharsets.UTF_8));
      default -> null;
    };
  }

  private static String read(String file) {
    try (InputStream in = LiveView.class.getResourceAsStream("view/" + file)) {
      if (in == null) {
        throw new IllegalStateException("the live view's " + file + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Escaped for a double-quoted HTML attribute. */
  private static String attribute(String text) {
    return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
