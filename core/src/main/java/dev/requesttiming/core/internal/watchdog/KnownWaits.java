package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.metrics.ConnectionPools;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a thread waits for, named by the resource rather than the JDK or library frame it waits in:
 * a database connection from a pool, the database's answer (over the network, or an embedded one
 * running the query), an HTTP connection, the console, a log appender, sleep, class loading. One table of known frames, matched from the top of the stack down to the first
 * application frame, the innermost match winning (a socket read while a pool opens a connection is
 * the database's answer, not the pool). Anything unknown is left to the caller. Add a row to know
 * one more.
 */
final class KnownWaits {

  /** A frame that tells the wait: its class (or class prefix, ending in '.'), its method (or any), what it means. */
  private record Known(String type, @Nullable String method, String says) {
    boolean matches(StackTraceElement frame) {
      String c = frame.getClassName();
      boolean typeMatches = type.endsWith(".") ? c.startsWith(type) : c.equals(type) || c.startsWith(type + "$");
      return typeMatches && (method == null || frame.getMethodName().startsWith(method));
    }
  }

  /** Where {@value #HIKARI_POOL} appears, the pool's name is put in (from its gauges, when the registry has them). */
  private static final String HIKARI_POOL = "{hikari}";
  /** A HikariCP pool whose name the registry does not tell (none there, or several). */
  private static final String UNNAMED_HIKARI_POOL = "HikariCP's pool";

  private static final List<Known> FRAMES = List.of(
      new Known("com.zaxxer.hikari.util.ConcurrentBag", "borrow", ConnectionPools.WAITING_FROM + HIKARI_POOL),
      new Known("com.zaxxer.hikari.pool.HikariPool", "getConnection", ConnectionPools.WAITING_FROM + HIKARI_POOL),
      new Known("org.apache.tomcat.jdbc.pool.ConnectionPool", "borrowConnection", ConnectionPools.WAITING_FROM + "Tomcat JDBC's pool"),
      new Known("org.apache.commons.pool2.impl.GenericObjectPool", "borrowObject", "waiting for a connection from a Commons Pool (DBCP2)"),
      new Known("org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager", null,
          "waiting for an HTTP connection from Apache HttpClient's pool"),
      new Known("org.apache.hc.core5.pool.StrictConnPool", "lease", "waiting for an HTTP connection from Apache HttpClient's pool"),
      new Known("ch.qos.logback.core.OutputStreamAppender", null, "writing a log line (Logback's appender)"),
      new Known("org.apache.logging.log4j.core.appender.OutputStreamManager", null, "writing a log line (Log4j's appender)"),
      new Known("java.lang.Thread", "sleep", "sleeping"),
      new Known("java.lang.ClassLoader", "defineClass", "loading classes"),
      new Known("java.lang.ClassLoader", "loadClass", "loading classes"),
      // an embedded database runs the query on the request's own thread
      new Known("org.h2.command.", null, "in the embedded database (H2) running the query"),
      new Known("org.hsqldb.Session", null, "in the embedded database (HSQLDB) running the query"),
      new Known("org.apache.derby.impl.sql.", null, "in the embedded database (Derby) running the query"));

  /** A JDBC driver's packages: a socket read under one of them is the database answering. */
  private static final String[] JDBC_DRIVERS = {
      "org.postgresql.", "com.mysql.", "org.mariadb.", "oracle.jdbc.", "com.microsoft.sqlserver.", "org.h2.",
      "org.hsqldb.", "org.apache.derby.", "com.ibm.db2.", "net.sourceforge.jtds.", "org.sqlite."};

  private static final String PRINT_STREAM = "java.io.PrintStream";

  private KnownWaits() {}

  /**
   * What the thread waits for, from its frames above {@code appFrame} (the stack's length when it has
   * none); null when no known frame is there.
   *
   * @param hikariPool the name of the app's HikariCP pool, or null when not known; asked only for a wait on one
   */
  static @Nullable String of(ThreadSample sample, int appFrame, Supplier<@Nullable String> hikariPool) {
    StackTraceElement[] stack = sample.stack();
    for (int i = 0; i < appFrame; i++) {
      StackTraceElement frame = stack[i];
      if (isSocketRead(frame) && hasDriverBelow(stack, i, appFrame)) {
        return "waiting for the database";
      }
      if (frame.getClassName().equals(PRINT_STREAM)) {
        return "writing to " + console(sample);
      }
      for (Known known : FRAMES) {
        if (known.matches(frame)) {
          return known.says().contains(HIKARI_POOL) ? withPool(known.says(), hikariPool.get()) : known.says();
        }
      }
    }
    return null;
  }

  private static String withPool(String says, @Nullable String pool) {
    return says.replace(HIKARI_POOL, pool == null ? UNNAMED_HIKARI_POOL : pool);
  }

  /** Standard output or error, where the thread is blocked on one of them; else the console. */
  private static String console(ThreadSample sample) {
    if (sample.lockIdentity() != 0 && sample.lockIdentity() == System.identityHashCode(System.out)) {
      return "standard output";
    }
    if (sample.lockIdentity() != 0 && sample.lockIdentity() == System.identityHashCode(System.err)) {
      return "standard error";
    }
    return "the console (standard output or error)";
  }

  private static boolean isSocketRead(StackTraceElement frame) {
    String c = frame.getClassName();
    return c.startsWith("sun.nio.ch.") || c.startsWith("java.net.Socket") || c.equals("java.net.SocketInputStream");
  }

  private static boolean hasDriverBelow(StackTraceElement[] stack, int from, int appFrame) {
    for (int i = from + 1; i < appFrame; i++) {
      if (StuckSite.startsWithAny(stack[i].getClassName(), JDBC_DRIVERS)) {
        return true;
      }
    }
    return false;
  }
}
