package org.springframework.samples.vetclinic;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The owners' pages, and the page that fails on purpose. */
@Controller
public class OwnerController {

  private final OwnerRepository owners;

  public OwnerController(OwnerRepository owners) {
    this.owners = owners;
  }

  @GetMapping("/owners")
  public String list(Model model) {
    model.addAttribute("owners", owners.findAll());
    return "owners/list";
  }

  @GetMapping("/owners/search")
  public String search(@RequestParam(defaultValue = "") String lastName, Model model) {
    model.addAttribute("owners", owners.findByLastName(lastName));
    return "owners/list";
  }

  @GetMapping("/oups")
  public String oups() {
    throw new IllegalStateException("Expected: controller used to showcase what happens when an exception is thrown");
  }
}
