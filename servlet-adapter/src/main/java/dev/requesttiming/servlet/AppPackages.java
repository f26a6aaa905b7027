package dev.requesttiming.servlet;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The web app's own packages, for {@code app-packages} when it is not set: the classes under
 * {@code /WEB-INF/classes} are the app's, whatever their package (a sample app under {@code
 * org.springframework.samples} included), and the libraries in {@code /WEB-INF/lib} are not. A
 * package is a root where it holds classes, or where the app branches below two or more segments
 * ({@code com.acme} for {@code com.acme.shop} and {@code com.acme.billing}). JSP pages precompiled into
 * {@code org.apache.jsp} are not the app's. The walk is bounded: a few thousand directories at most.
 */
final class AppPackages {

  static final String CLASSES = "/WEB-INF/classes/";
  private static final int MAX_DIRECTORIES = 5_000;
  private static final int MAX_ROOTS = 16;

  private final ServletContext context;
  private int directoriesLeft = MAX_DIRECTORIES;

  private AppPackages(ServletContext context) {
    this.context = context;
  }

  /**
   * The app's root packages, sorted; empty where the container lists no {@code /WEB-INF/classes}, or
   * fails to (a guess at the app's packages is not worth stopping the filter for).
   */
  static List<String> of(ServletContext context) {
    try {
      List<String> roots = new ArrayList<>(new AppPackages(context).roots(CLASSES, "", 0));
      roots.remove("org.apache.jsp");
      return roots.size() > MAX_ROOTS ? List.of() : roots;
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private List<String> roots(String directory, String pkg, int depth) {
    Set<String> entries = directoriesLeft-- > 0 ? context.getResourcePaths(directory) : null;
    if (entries == null) {
      return List.of();
    }
    boolean holdsClasses = false;
    Set<String> found = new TreeSet<>();
    for (String entry : entries) {
      if (entry.endsWith(".class")) {
        holdsClasses = true;
      }
    }
    if (holdsClasses && depth > 0) {
      return List.of(pkg);
    }
    for (String entry : entries) {
      if (entry.endsWith("/") && entry.length() > directory.length() + 1) {
        String name = entry.substring(directory.length(), entry.length() - 1);
        found.addAll(roots(entry, pkg.isEmpty() ? name : pkg + "." + name, depth + 1));
      }
    }
    if (found.size() > 1 && depth >= 2) {
      return List.of(pkg);
    }
    return new ArrayList<>(found);
  }
}
