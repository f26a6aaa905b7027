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
    assertThat(new StuckSite(List.of()).of(sleeping)).isEqualTo("Thread.sleep(Native Method)");
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
        .isEqualTo("OwnerController.list(OwnerController.java:41) waiting in ConcurrentBag.borrow(ConcurrentBag.java:147)");
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
        .isEqualTo("rendering /WEB-INF/tags/layout/footer.tag waiting in PrintStream.writeln(PrintStream.java:825)");
    assertThat(new StuckSite(List.of("org.springframework.samples.petclinic")).of(JSP_APP))
        .as("with the app's packages known, the app's frame")
        .isEqualTo("JpaOwnerRepositoryImpl.findByLastName(JpaOwnerRepositoryImpl.java:61) waiting in PrintStream.writeln(PrintStream.java:825)");
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
}
