package dev.requesttiming.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's packages read from the web app's {@code /WEB-INF/classes}, listed as a container lists them. */
class AppPackagesTest {

  @TempDir Path webapp;

  /** A context that lists the temporary web app's directories as {@code getResourcePaths} does. */
  private ServletContext context() {
    ServletContext context = mock(ServletContext.class);
    when(context.getResourcePaths(anyString())).thenAnswer(call -> {
      Path dir = webapp.resolve(((String) call.getArgument(0)).substring(1));
      if (!Files.isDirectory(dir)) {
        return null;
      }
      Set<String> paths = new TreeSet<>();
      try (Stream<Path> entries = Files.list(dir)) {
        entries.forEach(p -> paths.add("/" + webapp.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : "")));
      }
      return paths;
    });
    return context;
  }

  private void classes(String... classFiles) {
    for (String file : classFiles) {
      try {
        Path p = webapp.resolve("WEB-INF/classes").resolve(file);
        Files.createDirectories(p.getParent());
        Files.createFile(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void aSampleAppUnderSpringsOwnPackage_isTheApp() {
    classes(
        "org/springframework/samples/petclinic/model/Owner.class",
        "org/springframework/samples/petclinic/web/OwnerController.class",
        "org/springframework/samples/petclinic/repository/jpa/JpaOwnerRepositoryImpl.class",
        "META-INF/persistence.xml",
        "logback.xml");
    assertThat(AppPackages.of(context())).containsExactly("org.springframework.samples.petclinic");
  }

  @Test
  void onePackageWithClasses_isItself_andSeparateTrees_areEachTheirOwn() {
    classes("com/acme/shop/Cart.class", "com/acme/shop/web/CartServlet.class", "org/example/util/Strings.class");
    assertThat(AppPackages.of(context())).containsExactly("com.acme.shop", "org.example.util");
  }

  @Test
  void precompiledJsps_areNotTheApp() {
    classes("com/acme/Web.class", "org/apache/jsp/index_jsp.class");
    assertThat(AppPackages.of(context())).containsExactly("com.acme");
  }

  @Test
  void noClassesListed_orAContainerThatFails_guessAsBefore() {
    assertThat(AppPackages.of(context())).isEmpty();
    ServletContext failing = mock(ServletContext.class);
    when(failing.getResourcePaths(anyString())).thenThrow(new IllegalStateException("not listable"));
    assertThat(AppPackages.of(failing)).isEmpty();
  }

  @Test
  void registryInitParam_allowsGlobalAndPrometheus_andNamesThemOtherwise() {
    assertThatThrownBy(() -> FilterRegistry.of(context(), "prometeus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("registry: 'prometeus' is not allowed; use global (Micrometer's global registry, the default)"
            + " or prometheus (a Prometheus registry served by client_java's PrometheusMetricsServlet)");
  }
}
