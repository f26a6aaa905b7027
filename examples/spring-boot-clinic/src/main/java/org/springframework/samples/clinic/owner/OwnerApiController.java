package org.springframework.samples.clinic.owner;

import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The same owners as JSON, for the clinic's mobile app. */
@RestController
class OwnerApiController {

  record PetJson(Integer id, String name, String type, int visits) {}

  record OwnerJson(Integer id, String firstName, String lastName, String city, List<PetJson> pets) {}

  private final OwnerRepository owners;

  OwnerApiController(OwnerRepository owners) {
    this.owners = owners;
  }

  @GetMapping("/api/owners/{ownerId}")
  @Transactional(readOnly = true)
  OwnerJson owner(@PathVariable Integer ownerId) {
    return json(owners.findById(ownerId).orElseThrow(() -> new OwnerNotFoundException(ownerId)));
  }

  @GetMapping("/api/owners")
  @Transactional(readOnly = true)
  List<OwnerJson> find(@RequestParam(defaultValue = "") String lastName) {
    return owners.findByLastNameStartingWithOrderByLastName(lastName).stream().map(OwnerApiController::json).toList();
  }

  private static OwnerJson json(Owner owner) {
    List<PetJson> pets =
        owner.getPets().stream().map(p -> new PetJson(p.getId(), p.getName(), p.getType(), p.getVisits().size())).toList();
    return new OwnerJson(owner.getId(), owner.getFirstName(), owner.getLastName(), owner.getCity(), pets);
  }
}
