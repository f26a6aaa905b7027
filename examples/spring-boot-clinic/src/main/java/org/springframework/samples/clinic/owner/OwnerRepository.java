package org.springframework.samples.clinic.owner;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Owners, found by the start of their last name. */
public interface OwnerRepository extends JpaRepository<Owner, Integer> {

  List<Owner> findByLastNameStartingWithOrderByLastName(String lastName);

  @Query("select count(v) from Visit v where v.pet.owner.id = :ownerId")
  long countVisits(Integer ownerId);
}
