package org.springframework.samples.clinic.vet;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A vet of the clinic. */
@Entity
public class Vet {

  @Id @GeneratedValue private Integer id;

  private String firstName;

  private String lastName;

  private String specialty;

  protected Vet() {}

  public Vet(String firstName, String lastName, String specialty) {
    this.firstName = firstName;
    this.lastName = lastName;
    this.specialty = specialty;
  }

  public Integer getId() {
    return id;
  }

  public String getFirstName() {
    return firstName;
  }

  public String getLastName() {
    return lastName;
  }

  public String getSpecialty() {
    return specialty;
  }
}
