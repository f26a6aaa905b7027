package org.springframework.samples.clinic.system;

import java.time.LocalDate;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.samples.clinic.owner.Owner;
import org.springframework.samples.clinic.owner.OwnerRepository;
import org.springframework.samples.clinic.owner.Pet;
import org.springframework.samples.clinic.vet.Vet;
import org.springframework.samples.clinic.vet.VetRepository;
import org.springframework.stereotype.Component;

/** Fills the embedded database at start: 120 owners with two pets each, and their visits. */
@Component
class ClinicData implements ApplicationRunner {

  private static final String[] LAST_NAMES = {"Franklin", "Davis", "Rodriquez", "McTavish", "Schroeder", "Escobito", "Black", "Coleman", "Estaban", "Jenkins"};
  private static final String[] FIRST_NAMES = {"George", "Betty", "Eduardo", "Harold", "Peter", "Jean", "Jeff", "Maria", "David", "Carlos", "Lucy", "Helen"};
  private static final String[] TYPES = {"cat", "dog", "lizard", "snake", "bird", "hamster"};

  private final OwnerRepository owners;
  private final VetRepository vets;

  ClinicData(OwnerRepository owners, VetRepository vets) {
    this.owners = owners;
    this.vets = vets;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (int i = 0; i < 120; i++) {
      Owner owner = new Owner(FIRST_NAMES[i % FIRST_NAMES.length], LAST_NAMES[i % LAST_NAMES.length] + (i / LAST_NAMES.length),
          "Madison", String.format("608555%04d", i));
      for (int p = 0; p < 2; p++) {
        Pet pet = owner.addPet("Pet " + i + "-" + p, TYPES[(i + p) % TYPES.length]);
        pet.addVisit(LocalDate.of(2026, 1 + (i + p) % 12, 1 + i % 28), "rabies shot");
        pet.addVisit(LocalDate.of(2026, 1 + (i + 2 * p) % 12, 2 + i % 27), "checkup");
      }
      owners.save(owner);
    }
    vets.save(new Vet("James", "Carter", "none"));
    vets.save(new Vet("Helen", "Leary", "radiology"));
    vets.save(new Vet("Linda", "Douglas", "surgery"));
    vets.save(new Vet("Rafael", "Ortega", "surgery"));
    vets.save(new Vet("Henry", "Stevens", "radiology"));
    vets.save(new Vet("Sharon", "Jenkins", "dentistry"));
  }
}
