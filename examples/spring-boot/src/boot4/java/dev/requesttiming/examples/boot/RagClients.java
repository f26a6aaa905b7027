package dev.requesttiming.examples.boot;

import java.time.Duration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

/**
 * The RAG client as many apps build it: from Spring Boot's builder, with a long timeout of its own.
 * (The one file that differs between the Spring Boot 4 and 3.5 builds: the builder moved.)
 */
@Configuration(proxyBeanMethods = false)
class RagClients {

  @Bean
  RestTemplate ragTemplate(RestTemplateBuilder builder) {
    return builder.readTimeout(Duration.ofSeconds(90)).build();
  }
}
