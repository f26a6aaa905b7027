package org.springframework.samples.clinic.owner;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A pet of an owner, with its visits to the clinic. */
@Entity
public class Pet {

  @Id @GeneratedValue private Integer id;

  private String name;

  private String type;

  @ManyToOne(fetch = FetchType.LAZY)
  private Owner owner;

  @OneToMany(mappedBy = "pet", cascade = CascadeType.ALL, fetch = FetchType.LAZY)
  @OrderBy("date DESC")
  private List<Visit> visits = new ArrayList<>();

  protected Pet() {}

  Pet(Owner owner, String name, String type) {
    this.owner = owner;
    this.name = name;
    this.type = type;
  }

  public Integer getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getType() {
    return type;
  }

  public Owner getOwner() {
    return owner;
  }

  public List<Visit> getVisits() {
    return visits;
  }

  public Visit addVisit(LocalDate date, String description) {
    Visit visit = new Visit(this, date, description);
    visits.add(visit);
    return visit;
  }
}
