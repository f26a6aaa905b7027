package org.springframework.samples.clinic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A veterinary clinic: owners, their pets and visits, and the vets. */
@SpringBootApplication
public class ClinicApplication {

  public static void main(String[] args) {
    SpringApplication.run(ClinicApplication.class, args);
  }
}
