package dev.requesttiming.core.internal.watchdog;

import org.jspecify.annotations.Nullable;

/**
 * What a request is doing where its stack has no frame of the application: the phase a user knows,
 * from the innermost frame that tells one: rendering a JSP page or tag (named by its path); rendering
 * the view (Spring MVC's views, Thymeleaf, FreeMarker, Mustache); in a filter (named by its class).
 * Null when no frame tells.
 */
final class Phase {

  private static final String[] VIEW_RENDERING = {
    "org.springframework.web.servlet.view.", "org.thymeleaf.", "freemarker.", "com.github.mustachejava.",
    "org.apache.velocity.", "org.apache.tiles."
  };

  /** Filter classes that every request passes through (the container's, Spring's web filters, ours): no phase to tell. */
  private static final String[] CONTAINER = {
    "org.apache.catalina.", "org.apache.tomcat.", "org.eclipse.jetty.", "io.undertow.", "jakarta.servlet.",
    "javax.servlet.", "org.springframework.web.filter.", "org.springframework.boot.", "dev.requesttiming."
  };

  private Phase() {}

  static @Nullable String of(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      String c = frame.getClassName();
      String m = frame.getMethodName();
      String page = JspPage.of(c);
      if (page != null) {
        return "rendering " + page;
      }
      if (StuckSite.startsWithAny(c, VIEW_RENDERING)) {
        return "rendering the view";
      }
      if ((m.equals("doFilter") || m.equals("doFilterInternal")) && !StuckSite.startsWithAny(c, CONTAINER)) {
        return "in filter " + StuckSite.simpleName(c);
      }
    }
    return null;
  }
}
