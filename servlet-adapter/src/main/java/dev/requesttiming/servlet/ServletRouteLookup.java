package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestTiming;
import jakarta.servlet.ServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads the route template from the first of the configured request attributes that is set. */
final class ServletRouteLookup implements RequestTiming.RouteLookup {

  private final String[] attributes;

  ServletRouteLookup(List<String> attributes) {
    this.attributes = attributes.toArray(new String[0]);
  }

  @Override
  public @Nullable String route(Object carrier) {
    ServletRequest request = (ServletRequest) carrier;
    for (String attribute : attributes) {
      if (request.getAttribute(attribute) instanceof String route && !route.isEmpty()) {
        return route;
      }
    }
    return null;
  }
}
