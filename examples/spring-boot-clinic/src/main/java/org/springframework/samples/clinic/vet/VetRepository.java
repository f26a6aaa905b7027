package org.springframework.samples.clinic.vet;

import org.springframework.data.jpa.repository.JpaRepository;

/** The clinic's vets. */
public interface VetRepository extends JpaRepository<Vet, Integer> {}
