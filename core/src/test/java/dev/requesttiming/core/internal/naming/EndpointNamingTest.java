package dev.requesttiming.core.internal.naming;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.TestSettings;
import dev.requesttiming.core.internal.config.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointNamingTest {

  private final EndpointNaming naming =
      new EndpointNaming(TestSettings.of(RequestTimingConfig.builder()
              .routes("/api/users/{id}/files/**", "/api/users/{id}", "/api/users/me")
              .exclude("/metrics", "/static/**")
              .build()));

  @ParameterizedTest
  @CsvSource({
    "/api/orders/42, /api/orders/{id}",
    "/api/orders/2024-01-31, /api/orders/{id}",
    "/api/orders/3f2a1c9e-8d4b-4e6f-9a1b-2c3d4e5f6a7b, /api/orders/{id}",
    "/api/blobs/0123456789abcdef0123, /api/blobs/{id}",
    "/api/tokens/eyJhbGciOiJIUzI1NiJ9x, /api/tokens/{id}",
    "/api/v1/orders, /api/v1/orders",
    "/api/orders/deadbeef, /api/orders/deadbeef",
    "/api/orders/42;jsessionid=ABC, /api/orders/{id}",
    "//api///orders/, /api/orders",
    "'', /",
    "/, /"
  })
  void paths_areNormalized(String path, String uri) {
    EndpointNaming.PathName name = naming.pathName(path);
    assertThat(name.uri()).isEqualTo(uri);
    assertThat(name.template()).isFalse();
  }

  @Test
  void configuredRoutes_mostSpecificWins() {
    assertThat(naming.pathName("/api/users/me").uri()).isEqualTo("/api/users/me");
    assertThat(naming.pathName("/api/users/alice").uri()).isEqualTo("/api/users/{id}");
    assertThat(naming.pathName("/api/users/alice/files/a/b.txt").uri()).isEqualTo("/api/users/{id}/files/**");
    assertThat(naming.pathName("/api/users/alice").template()).isTrue();
  }

  @Test
  void excludedPaths_areMarked() {
    assertThat(naming.pathName("/metrics").excluded()).isTrue();
    assertThat(naming.pathName("/static/app/main.js").excluded()).isTrue();
    assertThat(naming.pathName("/metricsx").excluded()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "/metrics", "/static/app/main.js", "//static//app.css", "/static;v=2/app.css", "/metricsx", "/api/metrics/7"
  })
  void mayBeExcluded_whereverThePathCouldBe(String path) {
    assertThat(naming.mayBeExcluded(path)).isTrue();
  }

  @Test
  void mayBeExcluded_neverWhereItCannotBe_norWithNothingExcluded() {
    for (String path : new String[] {"/api/orders/42", "/", "", "/metric", "/stat/ic"}) {
      assertThat(naming.mayBeExcluded(path)).as(path).isFalse();
      assertThat(naming.pathName(path).excluded()).as(path).isFalse();
    }
    EndpointNaming none = new EndpointNaming(TestSettings.of(RequestTimingConfig.builder().build()));
    assertThat(none.mayBeExcluded("/metrics")).isFalse();
  }

  @Test
  void mayBeExcluded_forEveryPathThatIs() {
    EndpointNaming wildcards = new EndpointNaming(TestSettings.of(RequestTimingConfig.builder()
        .exclude("/{tenant}/health", "/internal/*/debug/**", "/x/**")
        .build()));
    java.util.Random random = new java.util.Random(42);
    String[] parts = {"", "health", "internal", "debug", "a", "x", ";p=1", "/", "//"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder path = new StringBuilder();
      for (int n = random.nextInt(5); n >= 0; n--) {
        path.append('/').append(parts[random.nextInt(parts.length)]);
      }
      String p = path.toString();
      if (wildcards.pathName(p).excluded()) {
        assertThat(wildcards.mayBeExcluded(p)).as(p).isTrue();
      }
    }
    assertThat(wildcards.pathName("/acme/health").excluded()).as("the test reaches excluded paths").isTrue();
  }

  @Test
  void statusNames_onlyWithoutATemplate() {
    EndpointNaming.PathName plain = naming.pathName("/wp-login.php");
    EndpointNaming.PathName templated = naming.pathName("/api/users/bob");
    assertThat(EndpointNaming.finalUri(HttpMethod.GET, plain, null, 404)).isEqualTo("NOT_FOUND");
    assertThat(EndpointNaming.finalUri(HttpMethod.GET, plain, null, 302)).isEqualTo("REDIRECTION");
    assertThat(EndpointNaming.finalUri(HttpMethod.GET, plain, null, 200)).isEqualTo("/wp-login.php");
    assertThat(EndpointNaming.finalUri(HttpMethod.GET, templated, null, 404)).isEqualTo("/api/users/{id}");
    assertThat(EndpointNaming.finalUri(HttpMethod.GET, plain, "/users/{name}", 404)).isEqualTo("/users/{name}");
  }

  @Test
  void oddMethod_withoutATemplate_isUnknown_asSpringBootNamesIt() {
    assertThat(EndpointNaming.finalUri(HttpMethod.UNKNOWN, naming.pathName("/owners/1"), null, 405)).isEqualTo("UNKNOWN");
    assertThat(EndpointNaming.finalUri(HttpMethod.UNKNOWN, naming.pathName("/api/users/bob"), null, 200))
        .isEqualTo("/api/users/{id}");
    assertThat(EndpointNaming.finalUri(HttpMethod.UNKNOWN, naming.pathName("/owners/1"), "/owners/{ownerId}", 200))
        .isEqualTo("/owners/{ownerId}");
  }

  @Test
  void routeAttribute_winsOverEverything() {
    assertThat(EndpointNaming.finalUri(HttpMethod.GET, naming.pathName("/api/users/7"), "/api/users/{userId}", 200))
        .isEqualTo("/api/users/{userId}");
  }

  @Test
  void controlCharactersAndLongPaths_areEscapedAndBounded() {
    String uri = naming.pathName("/api/a\r\nb/\u001b[31mred").uri();
    assertThat(uri).isEqualTo("/api/a\\x0d\\x0ab/\\x1b[31mred");
    String longPath = "/x".repeat(5000);
    assertThat(naming.pathName(longPath).uri()).hasSizeLessThanOrEqualTo(PathNormalizer.MAX_LENGTH + 3);
    assertThat(naming.pathName("/" + "a".repeat(500)).uri()).isEqualTo("/{id}");
  }

  @Test
  void seenPath_isAnsweredFromCache_withoutANewName() {
    EndpointNaming.PathName first = naming.pathName("/api/orders/42");
    assertThat(naming.pathName(new String("/api/orders/42"))).isSameAs(first);
  }

  @Test
  void methods_nonStandardAreUnknown() {
    assertThat(HttpMethod.of("GET")).isEqualTo(HttpMethod.GET);
    assertThat(HttpMethod.of("PATCH")).isEqualTo(HttpMethod.PATCH);
    assertThat(HttpMethod.of("get")).isEqualTo(HttpMethod.UNKNOWN);
    assertThat(HttpMethod.of("PROPFIND")).isEqualTo(HttpMethod.UNKNOWN);
  }
}
