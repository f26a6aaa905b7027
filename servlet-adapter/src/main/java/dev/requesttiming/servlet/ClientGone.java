package dev.requesttiming.servlet;

import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Tells a failed write to a client that went away from other failures: Tomcat's {@code
 * ClientAbortException}, Jetty's {@code EofException}, or an I/O error saying the connection was
 * reset or broken, anywhere in the chain of causes.
 */
final class ClientGone {

  private ClientGone() {}

  static boolean in(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (name.equals("ClientAbortException") || name.equals("EofException")) {
        return true;
      }
      String message = t.getMessage();
      if (t instanceof IOException && message != null) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("broken pipe") || m.contains("connection reset") || m.contains("connection was aborted")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }
}
