package org.springframework.samples.vetclinic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A standalone Tomcat as an operator runs one: the distribution unpacked as {@code CATALINA_HOME},
 * an instance directory as {@code CATALINA_BASE} (its own port on loopback, 12 workers, the manager
 * app), WARs dropped into {@code webapps/}, started by {@code catalina.sh run} on this JVM's Java.
 * Its console (Tomcat's log and the apps' standard output) goes to {@link #console()}.
 */
final class StandaloneTomcat implements AutoCloseable {

  static final String ADMIN = "admin";
  static final String PASSWORD = "clinic-admin-password";

  private final Path home;
  private final Path base;
  private final Path console;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;

  StandaloneTomcat(Path home) throws IOException {
    this.home = home;
    this.base = Files.createTempDirectory("catalina-base");
    this.console = base.resolve("logs/console.txt");
    this.port = freePort();
    for (String dir : List.of("logs", "temp", "webapps", "work")) {
      Files.createDirectories(base.resolve(dir));
    }
    copyTree(home.resolve("conf"), base.resolve("conf"));
    copyTree(home.resolve("webapps/manager"), base.resolve("webapps/manager"));
    edit(base.resolve("conf/server.xml"), xml -> xml
        .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
        .replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\" address=\"127.0.0.1\" maxThreads=\"12\"")
        // redeploys of a changed WAR are noticed within a second, by Tomcat's utility threads
        .replace("<Engine name=\"Catalina\" defaultHost=\"localhost\">",
            "<Engine name=\"Catalina\" defaultHost=\"localhost\" backgroundProcessorDelay=\"1\">"));
    Files.writeString(base.resolve("conf/tomcat-users.xml"),
        "<tomcat-users xmlns=\"http://tomcat.apache.org/xml\" version=\"1.0\">\n"
            + "  <user username=\"" + ADMIN + "\" password=\"" + PASSWORD + "\" roles=\"manager-script,timing-admin\"/>\n"
            + "</tomcat-users>\n");
  }

  /** Drops a WAR into {@code webapps/} as {@code <name>.war}, its web.xml changed by {@code webXml}. */
  void deploy(Path war, String name, UnaryOperator<String> webXml) throws IOException {
    Path target = base.resolve("webapps/" + name + ".war");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        if (entry.getName().equals("WEB-INF/web.xml")) {
          out.write(webXml.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } else {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }

  /** Marks a deployed WAR as changed: Tomcat's utility thread undeploys and deploys it again. */
  void touch(String name) throws IOException {
    Path war = base.resolve("webapps/" + name + ".war");
    Files.setLastModifiedTime(war, FileTime.from(Instant.now().plusSeconds(1)));
  }

  /** Starts Tomcat, with {@code systemProperties} ({@code -Dname=value}) for the apps. */
  void start(String... systemProperties) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", home.resolve("bin/catalina.sh").toString(), "run");
    builder.environment().put("CATALINA_HOME", home.toString());
    builder.environment().put("CATALINA_BASE", base.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("CATALINA_OPTS", "-Xmx768m " + String.join(" ", systemProperties));
    builder.environment().remove("JAVA_OPTS");
    builder.redirectErrorStream(true).redirectOutput(console.toFile());
    process = builder.start();
  }

  /** The Java process (catalina.sh execs Java in place), for {@code jstack}. */
  long pid() {
    return process.pid();
  }

  String console() {
    try {
      return Files.readString(console, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)));
  }

  /** A GET as the admin, with Basic authentication: the manager's text interface, the live view. */
  HttpResponse<String> getAsAdmin(String path) {
    String credentials = Base64.getEncoder().encodeToString((ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + credentials));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The threads of the Java process, as {@code jstack} prints them. */
  String threadDump() throws IOException, InterruptedException {
    Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
    Process dump = new ProcessBuilder(jstack.toString(), Long.toString(pid())).redirectErrorStream(true).start();
    try (InputStream out = dump.getInputStream()) {
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      dump.waitFor(30, TimeUnit.SECONDS);
      return text;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy(); // SIGTERM: Tomcat's shutdown hook stops the apps
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void edit(Path file, UnaryOperator<String> change) throws IOException {
    String before = Files.readString(file, StandardCharsets.UTF_8);
    String after = change.apply(before);
    if (after.equals(before)) {
      throw new IllegalStateException("nothing to change in " + file);
    }
    Files.writeString(file, after, StandardCharsets.UTF_8);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
