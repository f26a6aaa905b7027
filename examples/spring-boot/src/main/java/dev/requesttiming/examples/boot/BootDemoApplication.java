package dev.requesttiming.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot app that gets request-timing from one dependency and a few properties. */
@SpringBootApplication
public class BootDemoApplication {

  public static void main(String[] args) {
    SpringApplication.run(BootDemoApplication.class, args);
  }
}
