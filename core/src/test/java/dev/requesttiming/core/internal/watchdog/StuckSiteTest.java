package dev.requesttiming.core.internal.watchdog;


import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StuckSiteTest {

  private static StackTraceElement frame(String className, String method, String file, int line) {
    return new StackTraceElement(className, method, file, line);
  }

  private static final StackTraceElement[] RAG_CALL = {
    frame("sun.nio.ch.NioSocketImpl", "park", "NioSocketImpl.java", 191),
    frame("java.net.Socket$SocketInputStream", "read", "Socket.java", 1099),
    frame("org.apache.hc.core5.http.impl.io.SessionInputBufferImpl", "fillBuffer", "SessionInputBufferImpl.java", 149),
    frame("org.springframework.web.client.RestClient$DefaultRequestBodyUriSpec", "retrieve", "DefaultRestClient.java", 512),
    frame("com.example.chat.RagClient", "query", "RagClient.java", 88),
    frame("com.example.chat.ChatController", "chat", "ChatController.java", 31),
    frame("org.springframework.web.servlet.FrameworkServlet", "service", "FrameworkServlet.java", 885),
    frame("dev.requesttiming.servlet.RequestTimingFilter", "doFilter", "RequestTimingFilter.java", 130),
    frame("org.apache.tomcat.util.threads.TaskThread$WrappingRunnable", "run", "TaskThread.java", 80)
  };

  @Test
  void guessed_firstFrameOutsideTheJdkFrameworksAndLibraries_andTheFrameItWaitsIn() {
    assertThat(new StuckSite(List.of()).of(RAG_CALL))
        .isEqualTo("RagClient.query(RagClient.java:88) waiting in NioSocketImpl.park(NioSocketImpl.java:191)");
  }

  @Test
  void inABudgetAwareCall_theCallIsWhatItWaitsOn() {
    assertThat(new StuckSite(List.of()).of(RAG_CALL, "POST rag.internal/v1/query"))
        .isEqualTo("RagClient.query(RagClient.java:88) waiting on POST rag.internal/v1/query");
    StackTraceElement[] noAppFrame = {new StackTraceElement("sun.nio.ch.NioSocketImpl", "park", "NioSocketImpl.java", 191)};
    assertThat(new StuckSite(List.of()).of(noAppFrame, "POST rag.internal/v1/query")).isEqualTo("waiting on POST rag.internal/v1/query");
  }

  @Test
  void appPackages_overrideTheGuess() {
    assertThat(new StuckSite(List.of("com.example.chat.ChatController")).of(RAG_CALL))
        .as("a class can be named too")
        .isEqualTo("ChatController.chat(ChatController.java:31) waiting in NioSocketImpl.park(NioSocketImpl.java:191)");
    assertThat(new StuckSite(List.of("com.example.ch")).of(RAG_CALL))
        .as("a name matches whole package names, not the start of one")
        .isEqualTo("NioSocketImpl.park(NioSocketImpl.java:191)");
    assertThat(new StuckSite(List.of("org.apache.hc")).of(RAG_CALL))
        .isEqualTo("SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149) waiting in NioSocketImpl.park(NioSocketImpl.java:191)");
  }

  @Test
  void applicationCodeOnTop_isNamedOnce_nativeAndUnknownFramesReadAsAStackTracePrints() {
    StackTraceElement[] busy = {frame("com.example.Report", "render", "Report.java", 40), RAG_CALL[8]};
    assertThat(new StuckSite(List.of()).of(busy)).isEqualTo("Report.render(Report.java:40)");
    StackTraceElement[] sleeping = {new StackTraceElement("java.lang.Thread", "sleep", null, -2)};
    assertThat(new StuckSite(List.of()).of(sleeping)).as("a known wait, with no app frame").isEqualTo("sleeping");
    StackTraceElement[] generated = {new StackTraceElement("com.example.Gen$$Proxy", "call", null, -1)};
    assertThat(new StuckSite(List.of()).of(generated)).isEqualTo("Gen$$Proxy.call(Unknown Source)");
  }

  @Test
  void noStack_noSite() {
    assertThat(new StuckSite(List.of()).of(new StackTraceElement[0])).isNull();
  }

  @Test
  void runningOnTheCpu_countedAtTheApplicationFrameAlone_whateverItsTopFrame() {
    StackTraceElement[] rendering = {
      frame("org.thymeleaf.engine.ProcessorTemplateHandler", "handleText", "ProcessorTemplateHandler.java", 560),
      frame("org.thymeleaf.TemplateEngine", "process", "TemplateEngine.java", 1079),
      frame("com.example.owner.OwnerController", "showOwner", "OwnerController.java", 88),
      frame("org.springframework.web.servlet.FrameworkServlet", "service", "FrameworkServlet.java", 885)
    };
    StackTraceElement[] hashing = rendering.clone();
    hashing[0] = frame("java.lang.String", "hashCode", "String.java", 2302);
    StuckSite site = new StuckSite(List.of("com.example"));
    assertThat(site.of(rendering, null, true)).isEqualTo("OwnerController.showOwner(OwnerController.java:88) running");
    assertThat(site.of(hashing, null, true)).isEqualTo(site.of(rendering, null, true));
    assertThat(site.of(hashing, null, false))
        .as("a waiting thread keeps the frame it waits in").isEqualTo("OwnerController.showOwner(OwnerController.java:88) waiting in String.hashCode(String.java:2302)");
    StackTraceElement[] socketRead = new StackTraceElement[RAG_CALL.length + 1];
    socketRead[0] = new StackTraceElement("sun.nio.ch.Net", "poll", null, -2); // a native frame, as a real read's top
    System.arraycopy(RAG_CALL, 0, socketRead, 1, RAG_CALL.length);
    assertThat(new StuckSite(List.of()).of(socketRead, null, true))
        .as("runnable in a native socket read is waiting, not running")
        .isEqualTo("RagClient.query(RagClient.java:88) waiting in Net.poll(Native Method)");
  }

  /** Every wait on a lock or queue looked alike: {@code waiting in Unsafe.park(Native Method)}. */
  @Test
  void parkedThreads_waitInTheCallerOfTheParkingMachinery_orTheJdkCallTheAppMade() {
    StackTraceElement[] pool = {
      new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2),
      frame("java.util.concurrent.locks.LockSupport", "parkNanos", "LockSupport.java", 252),
      frame("java.util.concurrent.SynchronousQueue$TransferStack", "transfer", "SynchronousQueue.java", 401),
      frame("java.util.concurrent.SynchronousQueue", "poll", "SynchronousQueue.java", 903),
      frame("com.zaxxer.hikari.util.ConcurrentBag", "borrow", "ConcurrentBag.java", 147),
      frame("com.zaxxer.hikari.pool.HikariPool", "getConnection", "HikariPool.java", 172),
      frame("com.example.owner.OwnerController", "list", "OwnerController.java", 41)
    };
    assertThat(new StuckSite(List.of("com.example")).of(pool))
        .as("a known pool: named by what it hands out")
        .isEqualTo("OwnerController.list(OwnerController.java:41) waiting for a database connection from HikariCP's pool");
    StackTraceElement[] unknownPool = pool.clone();
    unknownPool[4] = frame("org.example.pool.ObjectPool", "borrow", "ObjectPool.java", 147);
    unknownPool[5] = frame("org.example.pool.ObjectPool", "get", "ObjectPool.java", 172);
    assertThat(new StuckSite(List.of("com.example")).of(unknownPool))
        .isEqualTo("OwnerController.list(OwnerController.java:41) waiting in ObjectPool.borrow(ObjectPool.java:147)");
    StackTraceElement[] semaphore = {
      new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2),
      frame("java.util.concurrent.locks.AbstractQueuedSynchronizer", "acquire", "AbstractQueuedSynchronizer.java", 715),
      frame("java.util.concurrent.Semaphore$Sync", "tryAcquire", "Semaphore.java", 200),
      frame("java.util.concurrent.Semaphore", "acquire", "Semaphore.java", 318),
      frame("com.example.Bulkhead", "enter", "Bulkhead.java", 12)
    };
    assertThat(new StuckSite(List.of("com.example")).of(semaphore))
        .isEqualTo("Bulkhead.enter(Bulkhead.java:12) waiting in Semaphore.acquire(Semaphore.java:318)");
    StackTraceElement[] onlyMachinery = {semaphore[0], semaphore[1]};
    assertThat(new StuckSite(List.of("com.example")).of(onlyMachinery)).isEqualTo("Unsafe.park(Native Method)");
  }

  @Test
  void appPackages_thatStartLikeAFrameworks_areTheApplication() {
    StackTraceElement[] owner = {
      frame("java.lang.String", "startsWith", "String.java", 2302),
      frame("org.springframework.samples.petclinic.owner.OwnerController", "showOwner", "OwnerController.java", 88),
      frame("org.springframework.web.servlet.FrameworkServlet", "service", "FrameworkServlet.java", 885)
    };
    assertThat(new StuckSite(List.of("org.springframework.samples.petclinic")).of(owner))
        .isEqualTo("OwnerController.showOwner(OwnerController.java:88) waiting in String.startsWith(String.java:2302)");
  }

  /** A Spring MVC app's repository under a JSP view, blocked writing Hibernate's SQL to standard output. */
  private static final StackTraceElement[] JSP_APP = {
    frame("java.io.PrintStream", "writeln", "PrintStream.java", 825),
    frame("org.hibernate.engine.jdbc.spi.SqlStatementLogger", "logStatement", "SqlStatementLogger.java", 135),
    frame("org.springframework.samples.petclinic.repository.jpa.JpaOwnerRepositoryImpl", "findByLastName", "JpaOwnerRepositoryImpl.java", 61),
    frame("org.apache.jsp.tag.web.layout.footer_tag", "_jspx_meth_c_005fforEach_005f0", "footer_tag.java", 180),
    frame("org.apache.jasper.runtime.JspRuntimeLibrary", "include", "JspRuntimeLibrary.java", 700),
    frame("org.apache.jsp.WEB_002dINF.jsp.owners.ownersList_jsp", "_jspService", "ownersList_jsp.java", 140),
    frame("org.apache.el.parser.AstValue", "getValue", "AstValue.java", 160),
    frame("org.springframework.web.servlet.DispatcherServlet", "doDispatch", "DispatcherServlet.java", 1089),
    frame("org.apache.catalina.core.ApplicationFilterChain", "doFilter", "ApplicationFilterChain.java", 140)
  };

  @Test
  void generatedJspClassesJasperAndEl_areNeverTheApp() {
    assertThat(new StuckSite(List.of()).of(JSP_APP))
        .as("guessed: the JSP tag, Jasper and EL are skipped, and Spring's own package is framework code")
        .isEqualTo("rendering /WEB-INF/tags/layout/footer.tag writing to the console (standard output or error)");
    assertThat(new StuckSite(List.of("org.springframework.samples.petclinic")).of(JSP_APP))
        .as("with the app's packages known, the app's frame")
        .isEqualTo("JpaOwnerRepositoryImpl.findByLastName(JpaOwnerRepositoryImpl.java:61) writing to the console (standard output or error)");
  }

  @Test
  void jspClassNames_readBackAsTheirPages() {
    assertThat(JspPage.of("org.apache.jsp.WEB_002dINF.jsp.owners.ownersList_jsp")).isEqualTo("/WEB-INF/jsp/owners/ownersList.jsp");
    assertThat(JspPage.of("org.apache.jsp.index_jsp")).isEqualTo("/index.jsp");
    assertThat(JspPage.of("org.apache.jsp.my_005fpage_jspx")).isEqualTo("/my_page.jspx");
    assertThat(JspPage.of("org.apache.jsp.tag.web.layout.footer_tag")).isEqualTo("/WEB-INF/tags/layout/footer.tag");
    assertThat(JspPage.of("org.apache.jsp.tag.meta.spring.form_tag")).isEqualTo("tag spring/form.tag");
    assertThat(JspPage.of("org.apache.jsp.index_jsp$Helper")).as("a nested class").isNull();
    assertThat(JspPage.of("org.apache.jasper.runtime.HttpJspBase")).isNull();
    assertThat(JspPage.of("com.example.Owners")).isNull();
  }

  private static StackTraceElement[] stack(StackTraceElement... frames) {
    return frames;
  }

  private static final StackTraceElement OWNERS = frame("com.example.owner.OwnerController", "show", "OwnerController.java", 133);
  private static final StackTraceElement SERVLET = frame("org.springframework.web.servlet.FrameworkServlet", "service", "FrameworkServlet.java", 885);

  private static String site(StuckSite site, ThreadSample sample) {
    return site.of(sample, null).text();
  }

  @Test
  void aConnectionPoolWait_isNamedByItsPool() {
    ThreadSample hikari = ThreadSample.of(stack(
        frame("jdk.internal.misc.Unsafe", "park", null, -2),
        frame("java.util.concurrent.locks.LockSupport", "parkNanos", "LockSupport.java", 252),
        frame("java.util.concurrent.SynchronousQueue$TransferStack", "transfer", "SynchronousQueue.java", 401),
        frame("java.util.concurrent.SynchronousQueue", "poll", "SynchronousQueue.java", 903),
        frame("com.zaxxer.hikari.util.ConcurrentBag", "borrow", "ConcurrentBag.java", 163),
        frame("com.zaxxer.hikari.pool.HikariPool", "getConnection", "HikariPool.java", 164),
        frame("org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl", "getConnection", null, 122),
        OWNERS, SERVLET), Thread.State.TIMED_WAITING);
    StuckSite named = new StuckSite(List.of(), () -> "HikariPool-1");
    assertThat(site(named, hikari)).isEqualTo("OwnerController.show(OwnerController.java:133) waiting for a database connection from HikariPool-1");
    assertThat(site(new StuckSite(List.of()), hikari)).endsWith("waiting for a database connection from HikariCP's pool");

    ThreadSample tomcatJdbc = ThreadSample.of(stack(
        frame("java.lang.Object", "wait", null, -2),
        frame("org.apache.tomcat.jdbc.pool.ConnectionPool", "borrowConnection", "ConnectionPool.java", 701),
        OWNERS), Thread.State.TIMED_WAITING);
    assertThat(site(named, tomcatJdbc)).endsWith(" waiting for a database connection from Tomcat JDBC's pool");
  }

  @Test
  void aSocketReadUnderAJdbcDriver_isTheDatabase_andUnderAnHttpClientsPool_theConnectionWait() {
    ThreadSample query = ThreadSample.of(stack(
        frame("sun.nio.ch.NioSocketImpl", "park", "NioSocketImpl.java", 191),
        frame("java.net.Socket$SocketInputStream", "read", "Socket.java", 1099),
        frame("org.postgresql.core.VisibleBufferedInputStream", "readMore", null, 161),
        frame("com.zaxxer.hikari.pool.HikariProxyPreparedStatement", "executeQuery", null, -1),
        OWNERS), Thread.State.RUNNABLE);
    assertThat(site(new StuckSite(List.of()), query)).isEqualTo("OwnerController.show(OwnerController.java:133) waiting for the database");
    ThreadSample httpPool = ThreadSample.of(stack(
        frame("java.lang.Object", "wait", null, -2),
        frame("org.apache.hc.core5.concurrent.BasicFuture", "get", "BasicFuture.java", 143),
        frame("org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager$1", "get", null, 300),
        frame("org.apache.hc.client5.http.impl.classic.InternalExecRuntime", "acquireEndpoint", null, 103),
        RAG_CALL[4]), Thread.State.TIMED_WAITING);
    assertThat(site(new StuckSite(List.of()), httpPool))
        .isEqualTo("RagClient.query(RagClient.java:88) waiting for an HTTP connection from Apache HttpClient's pool");
    ThreadSample embedded = ThreadSample.of(stack(
        frame("java.util.concurrent.locks.LockSupport", "parkNanos", "LockSupport.java", 410),
        frame("jdk.internal.reflect.GeneratedMethodAccessor61", "invoke", null, -1),
        frame("org.h2.schema.FunctionAlias$JavaMethod", "getValue", "FunctionAlias.java", 440),
        frame("org.h2.command.query.Select", "queryWithoutCache", "Select.java", 820),
        frame("org.h2.jdbc.JdbcPreparedStatement", "executeQuery", "JdbcPreparedStatement.java", 130),
        OWNERS), Thread.State.TIMED_WAITING);
    assertThat(site(new StuckSite(List.of()), embedded))
        .isEqualTo("OwnerController.show(OwnerController.java:133) in the embedded database (H2) running the query");
    ThreadSample plainSocket = ThreadSample.of(RAG_CALL, Thread.State.TIMED_WAITING);
    assertThat(site(new StuckSite(List.of()), plainSocket)).as("no driver below: as before")
        .isEqualTo("RagClient.query(RagClient.java:88) waiting in NioSocketImpl.park(NioSocketImpl.java:191)");
  }

  @Test
  void writingToTheConsole_standardOutputWhenBlockedOnIt_andSleeping() {
    StackTraceElement[] println = stack(
        frame("java.io.PrintStream", "writeln", "PrintStream.java", 825),
        frame("java.io.PrintStream", "println", "PrintStream.java", 1028),
        frame("org.hibernate.engine.jdbc.spi.SqlStatementLogger", "logStatement", null, 135),
        OWNERS);
    assertThat(site(new StuckSite(List.of()), ThreadSample.of(println, Thread.State.RUNNABLE)))
        .isEqualTo("OwnerController.show(OwnerController.java:133) writing to the console (standard output or error)");
    ThreadSample blockedOnOut = new ThreadSample(println, Thread.State.BLOCKED, "java.io.PrintStream",
        System.identityHashCode(System.out), "http-nio-exec-3", new StackTraceElement[0]);
    assertThat(site(new StuckSite(List.of()), blockedOnOut)).isEqualTo("OwnerController.show(OwnerController.java:133) writing to standard output");
    ThreadSample sleeping = ThreadSample.of(stack(frame("java.lang.Thread", "sleep", null, -2), OWNERS), Thread.State.TIMED_WAITING);
    assertThat(site(new StuckSite(List.of()), sleeping)).isEqualTo("OwnerController.show(OwnerController.java:133) sleeping");
  }

  @Test
  void blockedOnALock_namesItsClassAndOwner_andTheReportCountsItWithoutTheOwnersName() {
    StackTraceElement reserve = frame("com.example.Inventory", "reserve", "Inventory.java", 40);
    StackTraceElement[] ownerStack = stack(frame("java.lang.Thread", "sleep", null, -2), reserve, OWNERS);
    ThreadSample monitor = new ThreadSample(stack(reserve, OWNERS), Thread.State.BLOCKED, "com.example.Inventory", 7,
        "http-nio-exec-7", ownerStack);
    StuckSite.Site site = new StuckSite(List.of()).of(monitor, null);
    assertThat(site.text()).isEqualTo("Inventory.reserve(Inventory.java:40) blocked on a lock (Inventory) held by http-nio-exec-7,"
        + " which is at Inventory.reserve(Inventory.java:40) sleeping");
    assertThat(site.key()).isEqualTo("Inventory.reserve(Inventory.java:40) blocked on a lock (Inventory) held by a thread at"
        + " Inventory.reserve(Inventory.java:40) sleeping");
    ThreadSample reentrant = new ThreadSample(stack(
        frame("jdk.internal.misc.Unsafe", "park", null, -2),
        frame("java.util.concurrent.locks.AbstractQueuedSynchronizer", "acquire", null, 715),
        frame("java.util.concurrent.locks.ReentrantLock", "lock", null, 322), reserve),
        Thread.State.WAITING, "java.util.concurrent.locks.ReentrantLock$NonfairSync", 9, "exec-2", new StackTraceElement[0]);
    assertThat(site(new StuckSite(List.of()), reentrant)).isEqualTo("Inventory.reserve(Inventory.java:40) blocked on a lock (ReentrantLock) held by exec-2");
    ThreadSample array = new ThreadSample(stack(reserve), Thread.State.BLOCKED, "[Ljava.lang.Object;", 3, "exec-2", new StackTraceElement[0]);
    assertThat(site(new StuckSite(List.of()), array)).isEqualTo("Inventory.reserve(Inventory.java:40) blocked on a lock (Object[]) held by exec-2");
  }

  @Test
  void withoutAnAppFrame_thePhaseIsNamed() {
    StackTraceElement[] rendering = stack(
        frame("org.springframework.boot.loader.net.protocol.jar.UrlJarFiles$Cache", "get", "UrlJarFiles.java", 158),
        frame("org.thymeleaf.templateresource.ClassLoaderTemplateResource", "exists", null, 142),
        frame("org.thymeleaf.TemplateEngine", "process", null, 1079),
        frame("org.springframework.web.servlet.DispatcherServlet", "render", null, 1431));
    ThreadSample blocked = new ThreadSample(rendering, Thread.State.BLOCKED,
        "org.springframework.boot.loader.net.protocol.jar.UrlJarFiles$Cache", 5, "http-nio-exec-4", rendering);
    assertThat(site(new StuckSite(List.of()), blocked)).isEqualTo(
        "rendering the view blocked on a lock (UrlJarFiles$Cache) held by http-nio-exec-4, which is at rendering the view running");
    assertThat(site(new StuckSite(List.of()), ThreadSample.of(rendering, Thread.State.RUNNABLE))).isEqualTo("rendering the view running");
    ThreadSample filter = ThreadSample.of(stack(
        frame("java.lang.Thread", "sleep", null, -2),
        frame("org.springframework.security.web.FilterChainProxy", "doFilter", null, 362),
        frame("org.apache.catalina.core.ApplicationFilterChain", "doFilter", null, 140)), Thread.State.TIMED_WAITING);
    assertThat(site(new StuckSite(List.of()), filter)).isEqualTo("in filter FilterChainProxy sleeping");
    StackTraceElement[] springsOwnFilter = filter.stack().clone();
    springsOwnFilter[1] = frame("org.springframework.web.filter.RequestContextFilter", "doFilterInternal", null, 99);
    assertThat(site(new StuckSite(List.of()), ThreadSample.of(springsOwnFilter, Thread.State.TIMED_WAITING)))
        .as("a filter every request passes: no phase").isEqualTo("sleeping");
    ThreadSample loading = ThreadSample.of(stack(
        frame("java.lang.ClassLoader", "defineClass1", null, -2),
        frame("java.lang.ClassLoader", "defineClass", null, 1012),
        frame("org.hibernate.Foo", "bar", null, 1)), Thread.State.RUNNABLE);
    assertThat(site(new StuckSite(List.of()), loading)).isEqualTo("loading classes");
    StackTraceElement[] loadingForTheApp = loading.stack().clone();
    loadingForTheApp[2] = OWNERS;
    assertThat(site(new StuckSite(List.of()), ThreadSample.of(loadingForTheApp, Thread.State.RUNNABLE)))
        .isEqualTo("OwnerController.show(OwnerController.java:133) loading classes");
  }

  @Test
  void aFlagsStack_foldsTheContainersFramesBelowTheFilter() {
    StackTraceElement[] folded = FlagStack.fold(RAG_CALL);
    assertThat(folded).as("one Tomcat frame below the filter: nothing to fold").isEqualTo(RAG_CALL);
    StackTraceElement[] deep = java.util.Arrays.copyOf(RAG_CALL, RAG_CALL.length + 20);
    for (int i = RAG_CALL.length; i < deep.length; i++) {
      deep[i] = frame("org.eclipse.jetty.util.thread.QueuedThreadPool$Runner", "run", "QueuedThreadPool.java", i);
    }
    folded = FlagStack.fold(deep);
    assertThat(folded).hasSize(9);
    assertThat(folded[7]).isEqualTo(RAG_CALL[7]);
    assertThat(folded[8]).hasToString("… Tomcat.21 frames(below the filter, the same in every request)");
  }
}
