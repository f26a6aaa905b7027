package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestTiming;
import jakarta.servlet.ServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the route template from the first of the configured request attributes that is set. The
 * watchdog calls it from its own thread; a request the container has recycled meanwhile (Tomcat's
 * facade then throws) has finished, so it simply has no route to show.
 */
final class ServletRouteLookup implements RequestTiming.RouteLookup {

  private final String[] attributes;

  ServletRouteLookup(List<String> attributes) {
    this.attributes = attributes.toArray(new String[0]);
  }

  @Override
  public @Nullable String route(Object carrier) {
    ServletRequest request = (ServletRequest) carrier;
    try {
      for (String attribute : attributes) {
        if (request.getAttribute(attribute) instanceof String route && !route.isEmpty()) {
          return route;
        }
      }
    } catch (IllegalStateException recycled) {
      // the request finished and its object went back to the container
    }
    return null;
  }
}
