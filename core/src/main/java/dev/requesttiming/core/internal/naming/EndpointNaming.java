package dev.requesttiming.core.internal.naming;

import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.PathSegments;
import dev.requesttiming.core.internal.config.RoutePattern;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.util.SafeText;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Names the endpoint of a request: a route template left by the framework, else a
 * configured route, else the normalized path; unmatched 404s and redirects get special names.
 *
 * <p>Thread-safe. Paths already seen are answered from a bounded cache without allocating; a
 * request's path is named only when something asks (see {@link #mayBeExcluded}).
 */
public final class EndpointNaming {

  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String REDIRECTION = "REDIRECTION";
  public static final String OTHER = "OTHER";
  public static final String UNKNOWN = "UNKNOWN";

  private static final int CACHE_LIMIT = 4096;
  private static final int LONGEST_CACHED_PATH = 256;

  /** What a path alone says: its name, whether that is a template, and whether it is excluded. */
  public record PathName(String uri, boolean template, boolean excluded) {}

  private final List<RoutePattern> routes;
  private final List<RoutePattern> exclude;
  private final ConcurrentHashMap<String, PathName> cache = new ConcurrentHashMap<>();

  public EndpointNaming(Settings settings) {
    this.routes = settings.routes();
    this.exclude = settings.exclude();
  }

  /**
   * Whether the path may be excluded: false for nearly every path, without the cache's lookup, which
   * hashes the path (a string of its own per request in Tomcat and Jetty: about 20 ns for 15
   * characters on Java 17, more for longer paths).
   */
  public boolean mayBeExcluded(String path) {
    for (RoutePattern p : exclude) {
      if (p.mayMatch(path)) {
        return true;
      }
    }
    return false;
  }

  public PathName pathName(String path) {
    PathName cached = cache.get(path);
    if (cached != null) {
      return cached;
    }
    PathName computed = compute(path);
    if (path.length() <= LONGEST_CACHED_PATH) {
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear(); // a flood of distinct paths; the live ones come back quickly
      }
      cache.put(path, computed);
    }
    return computed;
  }

  private PathName compute(String path) {
    List<String> segments = PathSegments.of(path);
    boolean excluded = false;
    for (RoutePattern p : exclude) {
      if (p.matches(segments)) {
        excluded = true;
        break;
      }
    }
    for (RoutePattern route : routes) {
      if (route.matches(segments)) {
        return new PathName(SafeText.of(route.toString(), PathNormalizer.MAX_LENGTH), true, excluded);
      }
    }
    return new PathName(PathNormalizer.normalize(segments), false, excluded);
  }

  /**
   * The final uri: a route template wins; otherwise 404 and 3xx get their special names, and a
   * non-standard method is {@code UNKNOWN} (as Spring Boot names it: scanners' methods make no series).
   */
  public static String finalUri(HttpMethod method, PathName pathName, @Nullable String route, int status) {
    if (route != null && !route.isEmpty()) {
      return routeName(route);
    }
    if (!pathName.template()) {
      if (method == HttpMethod.UNKNOWN) {
        return UNKNOWN;
      }
      if (status == 404) {
        return NOT_FOUND;
      }
      if (status >= 300 && status < 400) {
        return REDIRECTION;
      }
    }
    return pathName.uri();
  }

  /** A route template as an endpoint name: escaped and bounded like a normalized path. */
  public static String routeName(String route) {
    return SafeText.of(route, PathNormalizer.MAX_LENGTH);
  }

  public static boolean isSpecial(String uri) {
    return switch (uri) {
      case NOT_FOUND, REDIRECTION, OTHER, UNKNOWN -> true;
      default -> false;
    };
  }
}
