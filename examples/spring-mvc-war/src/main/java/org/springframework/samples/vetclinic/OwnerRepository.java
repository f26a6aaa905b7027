package org.springframework.samples.vetclinic;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The owners in the database. The search by last name is slow: its query waits in the database. */
@Repository
@Transactional(readOnly = true)
public class OwnerRepository {

  /** How long the database takes to search by last name (a missing index, in a real app). */
  static final long SEARCH_NANOS = 300_000_000L;

  @PersistenceContext private EntityManager entityManager;

  public List<Owner> findAll() {
    return entityManager.createQuery("select o from Owner o order by o.lastName", Owner.class).getResultList();
  }

  public List<Owner> findByLastName(String lastName) {
    entityManager.createNativeQuery("select PAUSE_NANOS(?1)").setParameter(1, SEARCH_NANOS).getSingleResult();
    return entityManager
        .createQuery("select o from Owner o where o.lastName like :lastName order by o.lastName", Owner.class)
        .setParameter("lastName", lastName + "%")
        .getResultList();
  }
}
