package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.util.SafeText;

import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a running request waits, read from its thread's stack and state: the first frame of
 * application code (the call to fix) and what it waits for, by name where the frame is known ({@link
 * KnownWaits}), as a lock and its holder where it is blocked on one, else the frame it waits in.
 * Application code is the first frame in one of the {@code app-packages} (packages or classes), or,
 * when none are configured, the first frame outside the JDK, servlet containers, JSP and template
 * engines, Spring, common client and driver libraries, and request-timing itself. Where no frame is
 * the app's, the {@link Phase} names the site ({@code rendering /WEB-INF/jsp/owners/list.jsp}).
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
  private final Supplier<@Nullable String> hikariPool;

  /** @param appPackages packages (or classes) of the application; empty to guess */
  StuckSite(List<String> appPackages) {
    this(appPackages, () -> null);
  }

  /** @param hikariPool the name of the app's HikariCP pool, or null when not known; asked only for a wait on one */
  StuckSite(List<String> appPackages, Supplier<@Nullable String> hikariPool) {
    this.appPackages = appPackages.stream().map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p).toArray(String[]::new);
    this.hikariPool = hikariPool;
  }

  /** A site as a request's flag and the live view tell it, and as the report counts it (no thread names). */
  record Site(String text, String key) {}

  /**
   * The site of a stack, e.g. {@code DemoServlet.sleep(DemoServlet.java:112) sleeping}; null for an
   * empty stack (a thread that has ended).
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
    Site site = of(ThreadSample.of(stack, running ? Thread.State.RUNNABLE : Thread.State.WAITING), downstream);
    return site == null ? null : site.text();
  }

  /**
   * The site of a sampled thread: its application frame (else the phase a user knows, such as the
   * page being rendered) and what it waits for, named by the resource where the frame is known
   * ({@link KnownWaits}), by the lock's owner where it is blocked on one, else by the frame it waits in.
   */
  @Nullable Site of(ThreadSample sample, @Nullable String downstream) {
    StackTraceElement[] stack = sample.stack();
    if (stack.length == 0) {
      return null;
    }
    int app = appFrame(stack);
    String where = app < stack.length ? frame(stack[app]) : Phase.of(stack);
    String waits = downstream != null ? "waiting on " + downstream : KnownWaits.of(sample, app, hikariPool);
    if (waits == null && sample.runnable() && !stack[0].isNativeMethod() && where != null) {
      waits = "running";
    }
    if (waits == null && sample.blockedByOwner()) {
      return blocked(sample, where);
    }
    if (waits == null) {
      if (app == 0) {
        return same(frame(stack[0])); // the application itself at the top: its own frame says it
      }
      String frame = frame(stack[waitFrame(stack)]);
      return same(where == null ? frame : where + " waiting in " + frame);
    }
    return same(where == null ? waits : where + " " + waits);
  }

  /** {@code … blocked on a lock (Inventory) held by http-nio-exec-7, which is at Inventory.reserve(Inventory.java:40)}. */
  private Site blocked(ThreadSample sample, @Nullable String where) {
    String lock = "blocked on a lock (" + lockName(sample.lockClass()) + ")";
    String ownerSite = ownerSite(sample.ownerStack());
    String at = ownerSite == null ? "" : ", which is at " + ownerSite;
    String prefix = where == null ? "" : where + " ";
    if (sample.ownerName() == null) {
      return same(prefix + lock);
    }
    return new Site(
        prefix + lock + " held by " + SafeText.of(sample.ownerName(), 100) + at,
        prefix + lock + " held by " + (ownerSite == null ? "another thread" : "a thread at " + ownerSite));
  }

  /** Where the owner of a lock is: its own site, without a lock of its own to follow. */
  private @Nullable String ownerSite(StackTraceElement[] ownerStack) {
    if (ownerStack.length == 0) {
      return null;
    }
    Site site = of(ThreadSample.of(ownerStack, Thread.State.RUNNABLE), null);
    return site == null ? null : site.text();
  }

  /** {@code ReentrantLock} for its {@code ReentrantLock$NonfairSync}, a monitor's class for a monitor. */
  private static String lockName(@Nullable String lockClass) {
    if (lockClass == null) {
      return "unknown";
    }
    if (lockClass.startsWith("[")) { // an array's monitor: [I, [Ljava.lang.Object;
      return arrayName(lockClass);
    }
    String simple = lockClass.substring(lockClass.lastIndexOf('.') + 1);
    int nested = simple.indexOf('$');
    return nested > 0 && simple.endsWith("Sync") ? simple.substring(0, nested) : simple;
  }

  private static String arrayName(String descriptor) {
    int dimensions = descriptor.lastIndexOf('[') + 1;
    String element = descriptor.substring(dimensions);
    String name = switch (element) {
      case "I" -> "int";
      case "J" -> "long";
      case "B" -> "byte";
      case "C" -> "char";
      case "Z" -> "boolean";
      case "S" -> "short";
      case "F" -> "float";
      case "D" -> "double";
      default -> simpleName(element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : element);
    };
    return name + "[]".repeat(dimensions);
  }

  private static Site same(String text) {
    return new Site(text, text);
  }

  /** The index of the first application frame, or the stack's length when there is none. */
  private int appFrame(StackTraceElement[] stack) {
    for (int i = 0; i < stack.length; i++) {
      if (isApplication(stack[i].getClassName())) {
        return i;
      }
    }
    return stack.length;
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
    return !startsWithAny(className, FRAMEWORK_PACKAGES);
  }

  /** Whether the class name starts with one of the prefixes (packages ending in '.'). */
  static boolean startsWithAny(String className, String[] prefixes) {
    for (String p : prefixes) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
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

  /** A class's name without its package, {@code Outer$Inner} for a nested one. */
  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** {@code SimpleClass.method(File.java:12)}: the form a stack trace prints, without the package. */
  static String frame(StackTraceElement e) {
    String simple = simpleName(e.getClassName());
    String where =
        e.isNativeMethod()
            ? "Native Method"
            : e.getFileName() == null ? "Unknown Source" : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
    return SafeText.of(simple + "." + e.getMethodName() + "(" + where + ")", 200);
  }
}
