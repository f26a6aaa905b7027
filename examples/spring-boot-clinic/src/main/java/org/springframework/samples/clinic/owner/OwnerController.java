package org.springframework.samples.clinic.owner;

import jakarta.validation.Valid;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/** The owners' pages: find, list, details, edit, and a pet's new visit. */
@Controller
class OwnerController {

  private final OwnerRepository owners;

  OwnerController(OwnerRepository owners) {
    this.owners = owners;
  }

  @GetMapping("/owners/find")
  String initFindForm() {
    return "owners/findOwners";
  }

  /** The list of owners whose last name starts with the text, each with its number of visits. */
  @GetMapping("/owners")
  String processFindForm(@RequestParam(defaultValue = "") String lastName, Model model) {
    List<Owner> found = owners.findByLastNameStartingWithOrderByLastName(lastName);
    if (found.size() == 1) {
      return "redirect:/owners/" + found.get(0).getId();
    }
    Map<Integer, Long> visits = new LinkedHashMap<>();
    for (Owner owner : found) {
      visits.put(owner.getId(), owners.countVisits(owner.getId())); // one query per owner, as such pages do
    }
    model.addAttribute("owners", found);
    model.addAttribute("visits", visits);
    return "owners/ownersList";
  }

  @GetMapping("/owners/{ownerId}")
  String showOwner(@PathVariable Integer ownerId, Model model) {
    model.addAttribute("owner", owner(ownerId));
    return "owners/ownerDetails";
  }

  @GetMapping("/owners/{ownerId}/edit")
  String initUpdateOwnerForm(@PathVariable Integer ownerId, Model model) {
    model.addAttribute("owner", owner(ownerId));
    return "owners/createOrUpdateOwnerForm";
  }

  @PostMapping("/owners/{ownerId}/edit")
  @Transactional
  String processUpdateOwnerForm(
      @PathVariable Integer ownerId, @Valid @ModelAttribute("owner") OwnerForm form, BindingResult result) {
    if (result.hasErrors()) {
      return "owners/createOrUpdateOwnerForm";
    }
    Owner owner = owner(ownerId);
    owner.setFirstName(form.firstName());
    owner.setLastName(form.lastName());
    owner.setCity(form.city());
    owner.setTelephone(form.telephone());
    return "redirect:/owners/" + ownerId;
  }

  @GetMapping("/owners/{ownerId}/pets/{petId}/visits/new")
  String initNewVisitForm(@PathVariable Integer ownerId, @PathVariable Integer petId, Model model) {
    model.addAttribute("owner", owner(ownerId));
    model.addAttribute("pet", pet(ownerId, petId));
    return "owners/createVisitForm";
  }

  @PostMapping("/owners/{ownerId}/pets/{petId}/visits/new")
  @Transactional
  String processNewVisitForm(@PathVariable Integer ownerId, @PathVariable Integer petId, @RequestParam String description) {
    if (description.isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a visit needs a description");
    }
    pet(ownerId, petId).addVisit(LocalDate.now(), description);
    return "redirect:/owners/" + ownerId;
  }

  /** An unknown owner is a page of its own, with status 404. */
  @ExceptionHandler(OwnerNotFoundException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  ModelAndView ownerNotFound(OwnerNotFoundException e) {
    return new ModelAndView("owners/ownerNotFound", Map.of("message", e.getMessage()));
  }

  private Owner owner(Integer ownerId) {
    return owners.findById(ownerId).orElseThrow(() -> new OwnerNotFoundException(ownerId));
  }

  private Pet pet(Integer ownerId, Integer petId) {
    Pet pet = owner(ownerId).getPet(petId);
    if (pet == null) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "owner " + ownerId + " has no pet " + petId);
    }
    return pet;
  }
}
