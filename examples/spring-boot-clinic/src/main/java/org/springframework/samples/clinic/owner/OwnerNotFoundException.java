package org.springframework.samples.clinic.owner;

/** No owner has the id a page asked for. */
public class OwnerNotFoundException extends RuntimeException {

  public OwnerNotFoundException(Integer ownerId) {
    super("no owner " + ownerId);
  }
}
