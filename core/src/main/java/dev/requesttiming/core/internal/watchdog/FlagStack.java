package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.RequestStillRunning;
import java.util.Arrays;

/**
 * The stack a flag carries, ending where the request entered the app: the container's frames below
 * request-timing's filter are the same in every flag, so they fold into one line, {@code … Jetty.22
 * frames(below the filter, the same in every request)}. A stack without the filter is left whole.
 */
final class FlagStack {

  private static final String FILTERS = "dev.requesttiming.servlet.";

  private FlagStack() {}

  static StackTraceElement[] fold(StackTraceElement[] stack) {
    int filter = -1;
    for (int i = 0; i < stack.length; i++) {
      if (stack[i].getClassName().startsWith(FILTERS) && stack[i].getMethodName().equals("doFilter")) {
        filter = i; // the outermost of our filter's frames
      }
    }
    int below = stack.length - filter - 1;
    if (filter < 0 || below < 2 || filter + 2 > RequestStillRunning.MAX_FRAMES) {
      return stack;
    }
    StackTraceElement[] folded = Arrays.copyOf(stack, filter + 2);
    folded[filter + 1] = new StackTraceElement(
        "… " + container(stack, filter + 1), below + " frames", "below the filter, the same in every request", -1);
    return folded;
  }

  private static String container(StackTraceElement[] stack, int from) {
    for (int i = from; i < stack.length; i++) {
      String c = stack[i].getClassName();
      if (c.startsWith("org.eclipse.jetty.")) {
        return "Jetty";
      }
      if (c.startsWith("org.apache.catalina.") || c.startsWith("org.apache.coyote.") || c.startsWith("org.apache.tomcat.")) {
        return "Tomcat";
      }
      if (c.startsWith("io.undertow.")) {
        return "Undertow";
      }
    }
    return "the container";
  }
}
