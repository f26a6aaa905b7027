package org.springframework.samples.vetclinic;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A pet owner. */
@Entity
@Table(name = "owners")
public class Owner {

  @Id @GeneratedValue private Long id;
  private String firstName;
  private String lastName;

  public Long getId() {
    return id;
  }

  public String getFirstName() {
    return firstName;
  }

  public String getLastName() {
    return lastName;
  }
}
