package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.util.SafeText;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a running request waits, read from its thread's stack: the first frame of application code
 * (the call to fix) and the frame the thread waits in (what it waits for). Application code is the
 * first frame in one of the {@code app-packages} (packages or classes), or, when none are configured, the first frame
 * outside the JDK, servlet containers, JSP and template engines, Spring, common client and driver
 * libraries, and request-timing itself. Where no frame is the app's, a JSP page or tag file on the
 * stack names the site by its path ({@code rendering /WEB-INF/jsp/owners/list.jsp}).
 */
final class StuckSite {

  /** Packages that are never the application's, when {@code app-packages} is not set. */
  private static final String[] FRAMEWORK_PACKAGES = {
    "java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.", "kotlin.", "kotlinx.", "scala.",
    "org.eclipse.jetty.", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.", "io.undertow.",
    "org.springframework.", "io.micrometer.", "io.opentelemetry.", "brave.", "reactor.", "io.netty.",
    "org.apache.hc.", "org.apache.http.", "okhttp3.", "okio.", "feign.", "retrofit2.", "com.fasterxml.",
    "com.zaxxer.hikari.", "org.hibernate.", "org.postgresql.", "com.mysql.", "oracle.jdbc.", "org.h2.",
    // JSP pages and tags compiled by Jasper, Jasper itself, its compiler, EL, JSTL and template engines
    "org.apache.jsp.", "org.apache.jasper.", "org.eclipse.jdt.", "org.apache.el.", "org.apache.taglibs.",
    "org.glassfish.", "org.thymeleaf.", "freemarker.", "org.apache.velocity.", "com.github.mustachejava.",
    "ch.qos.logback.", "org.apache.logging.", "org.slf4j.", "org.apache.commons.", "net.bytebuddy.", "org.aspectj.",
    "dev.requesttiming.core.", "dev.requesttiming.servlet.", "dev.requesttiming.spring."
  };

  private final String[] appPackages;

  /** @param appPackages packages (or classes) of the application; empty to guess */
  StuckSite(List<String> appPackages) {
    this.appPackages = appPackages.stream().map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p).toArray(String[]::new);
  }

  /**
   * The site of a stack, e.g. {@code DemoServlet.sleep(DemoServlet.java:112) waiting in
   * Thread.sleep(Native Method)}; null for an empty stack (a thread that has ended).
   */
  @Nullable String of(StackTraceElement[] stack) {
    return of(stack, null);
  }

  /**
   * The site of a stack; when the request is in a budget-aware downstream call, that call is what
   * it waits on: {@code RagClient.query(RagClient.java:40) waiting on POST rag.internal/v1/query}.
   */
  @Nullable String of(StackTraceElement[] stack, @Nullable String downstream) {
    return of(stack, downstream, false);
  }

  /**
   * The site of a stack; a thread that is {@code running} on the CPU (runnable, its top frame not a
   * native wait) is counted at its application frame alone, {@code OwnerController.show(OwnerController.java:88)
   * running}, since its top frame changes from one sample to the next.
   */
  @Nullable String of(StackTraceElement[] stack, @Nullable String downstream, boolean running) {
    if (running && downstream == null && stack.length > 0 && !stack[0].isNativeMethod()) {
      for (StackTraceElement element : stack) {
        if (isApplication(element.getClassName())) {
          return frame(element) + " running";
        }
      }
    }
    return siteOf(stack, downstream);
  }

  private @Nullable String siteOf(StackTraceElement[] stack, @Nullable String downstream) {
    if (stack.length == 0) {
      return null;
    }
    String waitingIn = downstream != null ? downstream : frame(stack[waitFrame(stack)]);
    String verb = downstream != null ? " waiting on " : " waiting in ";
    for (StackTraceElement element : stack) {
      if (isApplication(element.getClassName())) {
        return element == stack[0] && downstream == null ? waitingIn : frame(element) + verb + waitingIn;
      }
    }
    String page = JspPage.on(stack); // no application frame: the page being rendered, if any
    if (page != null) {
      return "rendering " + page + verb + waitingIn;
    }
    return downstream != null ? "waiting on " + downstream : waitingIn;
  }

  /**
   * The frame that says what a thread waits for: its top frame, unless that is the JDK's parking
   * machinery ({@code Unsafe.park}, locks, {@code java.util.concurrent}, {@code Object.wait}), which
   * every wait looks alike in. Then it is the caller of that machinery (a connection pool's {@code
   * ConcurrentBag.borrow}), or, when the caller is the application itself, the JDK call it made
   * ({@code Semaphore.acquire}).
   */
  private int waitFrame(StackTraceElement[] stack) {
    int i = 0;
    int lastApi = 0;
    while (i < stack.length && isParking(stack[i])) {
      if (stack[i].getClassName().indexOf('$') < 0) {
        lastApi = i; // a public class of the machinery: Semaphore.acquire, FutureTask.get
      }
      i++;
    }
    if (i == 0 || i == stack.length) {
      return 0;
    }
    return isApplication(stack[i].getClassName()) ? lastApi : i;
  }

  private static boolean isParking(StackTraceElement frame) {
    String c = frame.getClassName();
    return c.startsWith("java.util.concurrent.")
        || c.equals("jdk.internal.misc.Unsafe")
        || c.equals("sun.misc.Unsafe")
        || (c.equals("java.lang.Object") && frame.getMethodName().startsWith("wait"));
  }

  private boolean isApplication(String className) {
    if (appPackages.length > 0) {
      for (String p : appPackages) {
        if (within(className, p)) {
          return true;
        }
      }
      return false;
    }
    for (String p : FRAMEWORK_PACKAGES) {
      if (className.startsWith(p)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the class is the named one, nested in it, or in the named package or below. */
  private static boolean within(String className, String name) {
    if (!className.startsWith(name)) {
      return false;
    }
    if (className.length() == name.length()) {
      return true;
    }
    char next = className.charAt(name.length());
    return next == '.' || next == '$';
  }

  /** {@code SimpleClass.method(File.java:12)}: the form a stack trace prints, without the package. */
  static String frame(StackTraceElement e) {
    String className = e.getClassName();
    String simple = className.substring(className.lastIndexOf('.') + 1);
    String where =
        e.isNativeMethod()
            ? "Native Method"
            : e.getFileName() == null ? "Unknown Source" : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
    return SafeText.of(simple + "." + e.getMethodName() + "(" + where + ")", 200);
  }
}
