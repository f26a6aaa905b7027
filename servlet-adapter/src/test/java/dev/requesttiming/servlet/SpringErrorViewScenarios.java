package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.Ordered;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.SimpleMappingExceptionResolver;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.Controller;
import org.springframework.web.servlet.view.InternalResourceViewResolver;

/**
 * Spring MVC without Boot, as a plain WAR sets it up: a {@code SimpleMappingExceptionResolver} turns
 * an exception into an error view, which Spring MVC 6.1 and later render and then clear the
 * exception's request attributes of: its series names the exception. A resolver that writes the
 * answer itself leaves it untagged, as Spring's own observation does (Actuator's tags are the contract).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringErrorViewScenarios {

  /** Thrown by the controller behind {@code /app/conflict}; answered 409 by a resolver, with no view. */
  static final class ConflictException extends RuntimeException {
    ConflictException() {
      super("taken");
    }
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ServletContainer container;
  private Http http;

  abstract ServletContainer newContainer();

  @BeforeAll
  void start() throws Exception {
    container = newContainer();
    int port =
        container.start(
            (classes, context) -> {
              context.setAttribute(RequestTimingFilter.REGISTRY_ATTRIBUTE, registry);
              FilterRegistration.Dynamic filter = context.addFilter("requestTiming", RequestTimingFilter.class.getName());
              filter.setInitParameters(Map.of("budget", "1s"));
              filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
              context.addServlet("spring", new DispatcherServlet(springApp())).addMapping("/app/*");
              context.addServlet("views", new ErrorPage()).addMapping("/views/*");
            });
    http = new Http(port);
  }

  @AfterAll
  void stop() throws Exception {
    container.close();
  }

  private static GenericWebApplicationContext springApp() {
    GenericWebApplicationContext spring = new GenericWebApplicationContext();
    Controller oups = (request, response) -> {
      throw new IllegalStateException("Expected: controller used to showcase what happens when an exception is thrown");
    };
    Controller conflict = (request, response) -> {
      throw new ConflictException();
    };
    spring.registerBean(SimpleUrlHandlerMapping.class, () -> new SimpleUrlHandlerMapping(Map.of("/oups", oups, "/conflict", conflict)));
    spring.registerBean("conflicts", HandlerExceptionResolver.class, () -> new ConflictResolver());
    spring.registerBean(SimpleMappingExceptionResolver.class, () -> {
      SimpleMappingExceptionResolver errorViews = new SimpleMappingExceptionResolver();
      errorViews.setDefaultErrorView("exception");
      errorViews.setOrder(Ordered.LOWEST_PRECEDENCE);
      return errorViews;
    });
    spring.registerBean(InternalResourceViewResolver.class, () -> new InternalResourceViewResolver("/views/", ""));
    return spring;
  }

  /** Answers a conflict itself, with no view: Spring's observation leaves such an exception untagged. */
  private static final class ConflictResolver implements HandlerExceptionResolver, Ordered {
    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
      if (!(ex instanceof ConflictException)) {
        return null;
      }
      try {
        response.setStatus(409);
        response.getWriter().write("conflict");
      } catch (IOException e) {
        return null;
      }
      return new ModelAndView();
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /** The error view, as a JSP would be: reads the exception the resolver put in the model. */
  private static final class ErrorPage extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setContentType("text/plain");
      response.getWriter().write("Something happened: " + request.getAttribute("exception"));
    }
  }

  private Timer series(String exception) {
    return registry.find("http.server.requests").tag("exception", exception).timer();
  }

  @Test
  void anErrorView_keepsTheExceptionItWasResolvedFrom() {
    HttpResponse<String> answer = http.get("/app/oups");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).startsWith("Something happened: java.lang.IllegalStateException: Expected");

    await().atMost(5, SECONDS).until(() -> series("IllegalStateException") != null);
    assertThat(series("IllegalStateException").getId().getTag("status")).isEqualTo("200");
    assertThat(series("IllegalStateException").count()).isEqualTo(1);
  }

  @Test
  void aResolverThatAnswersItself_isUntagged_asSpringsObservationLeavesIt() {
    assertThat(http.get("/app/conflict").statusCode()).isEqualTo(409);

    await().atMost(5, SECONDS).until(() -> registry.find("http.server.requests").tag("status", "409").timer() != null);
    assertThat(registry.find("http.server.requests").tag("status", "409").timer().getId().getTag("exception")).isEqualTo("none");
    assertThat(series("ConflictException")).isNull();
  }
}
