package org.springframework.samples.clinic.owner;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

/** A pet owner. */
@Entity
public class Owner {

  @Id @GeneratedValue private Integer id;

  @NotBlank private String firstName;

  @NotBlank private String lastName;

  @NotBlank private String city;

  @NotBlank
  @Pattern(regexp = "\\d{10}", message = "Telephone must be a 10-digit number")
  private String telephone;

  @OneToMany(mappedBy = "owner", cascade = CascadeType.ALL, fetch = FetchType.LAZY)
  @OrderBy("name")
  private List<Pet> pets = new ArrayList<>();

  protected Owner() {}

  public Owner(String firstName, String lastName, String city, String telephone) {
    this.firstName = firstName;
    this.lastName = lastName;
    this.city = city;
    this.telephone = telephone;
  }

  public Integer getId() {
    return id;
  }

  public String getFirstName() {
    return firstName;
  }

  public void setFirstName(String firstName) {
    this.firstName = firstName;
  }

  public String getLastName() {
    return lastName;
  }

  public void setLastName(String lastName) {
    this.lastName = lastName;
  }

  public String getCity() {
    return city;
  }

  public void setCity(String city) {
    this.city = city;
  }

  public String getTelephone() {
    return telephone;
  }

  public void setTelephone(String telephone) {
    this.telephone = telephone;
  }

  public List<Pet> getPets() {
    return pets;
  }

  public Pet addPet(String name, String type) {
    Pet pet = new Pet(this, name, type);
    pets.add(pet);
    return pet;
  }

  public Pet getPet(Integer petId) {
    return pets.stream().filter(p -> p.getId().equals(petId)).findFirst().orElse(null);
  }
}
