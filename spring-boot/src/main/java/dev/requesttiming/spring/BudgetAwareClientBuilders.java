package dev.requesttiming.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * Makes the request factories that Spring Boot's {@link ClientHttpRequestFactoryBuilder} bean builds
 * budget-aware. That bean is what the auto-configured {@code RestClient.Builder} and {@code
 * RestTemplateBuilder} build their factories with, on Spring Boot 3.5 and 4.x alike; its {@code
 * build} takes each line's own settings type, so it is wrapped by a proxy that reads the settings'
 * {@code readTimeout()} by name. It also notes what it built, for the start-up audit.
 */
final class BudgetAwareClientBuilders implements BeanPostProcessor, DisposableBean {

  private final boolean enabled;
  private final CallInterrupter interrupter = new CallInterrupter();
  /** A factory built: its class and its own read timeout (zero: none set). Few distinct ones per app. */
  record Built(String factory, Duration readTimeout) {}

  private final Set<Built> built = ConcurrentHashMap.newKeySet();

  /** @param enabled false to only note the factories built, for the audit, and leave them as they are */
  BudgetAwareClientBuilders(boolean enabled) {
    this.enabled = enabled;
  }

  boolean enabled() {
    return enabled;
  }

  @Override
  public void destroy() {
    interrupter.close();
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof ClientHttpRequestFactoryBuilder<?> && !Proxy.isProxyClass(bean.getClass())) {
      return proxy(bean);
    }
    return bean;
  }

  /** The factories built so far, with their read timeouts. */
  Set<Built> built() {
    return Set.copyOf(built);
  }

  private Object proxy(Object builder) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, builder, method, args);
      }
      Object result;
      try {
        result = method.invoke(builder, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof ClientHttpRequestFactory factory && !(result instanceof BudgetAwareRequestFactory)) {
        Duration readTimeout = args != null && args.length == 1 ? readTimeoutOf(args[0]) : null;
        built.add(new Built(factory.getClass().getSimpleName(), readTimeout == null ? Duration.ZERO : readTimeout));
        return enabled ? new BudgetAwareRequestFactory(factory, readTimeout, interrupter) : factory;
      }
      if (result instanceof ClientHttpRequestFactoryBuilder<?>) {
        return proxy(result);
      }
      return result;
    };
    return Proxy.newProxyInstance(
        BudgetAwareClientBuilders.class.getClassLoader(), new Class<?>[] {ClientHttpRequestFactoryBuilder.class}, handler);
  }

  private static Object objectMethod(Object proxy, Object builder, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "budget-aware " + builder;
    };
  }

  /** {@code settings.readTimeout()}: Boot 3.5's {@code ClientHttpRequestFactorySettings}, Boot 4's {@code HttpClientSettings}. */
  static @Nullable Duration readTimeoutOf(@Nullable Object settings) {
    if (settings == null) {
      return null;
    }
    try {
      Object value = settings.getClass().getMethod("readTimeout").invoke(settings);
      return value instanceof Duration d && !d.isZero() && !d.isNegative() ? d : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
