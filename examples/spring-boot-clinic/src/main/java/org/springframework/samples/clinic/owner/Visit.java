package org.springframework.samples.clinic.owner;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.validation.constraints.NotBlank;
import java.time.LocalDate;

/** A pet's visit to the clinic. */
@Entity
public class Visit {

  @Id @GeneratedValue private Integer id;

  private LocalDate date;

  @NotBlank private String description;

  @ManyToOne(fetch = FetchType.LAZY)
  private Pet pet;

  protected Visit() {}

  Visit(Pet pet, LocalDate date, String description) {
    this.pet = pet;
    this.date = date;
    this.description = description;
  }

  public Integer getId() {
    return id;
  }

  public LocalDate getDate() {
    return date;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }
}
