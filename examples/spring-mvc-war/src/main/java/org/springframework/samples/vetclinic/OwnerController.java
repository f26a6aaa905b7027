package org.springframework.samples.vetclinic;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import java.io.IOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RequestParam;

/** The owners' pages, and the page that fails on purpose. */
@Controller
public class OwnerController {

  private final OwnerRepository owners;
  private final ReportsRepository reports;
  private final InsuranceClient insurance;

  public OwnerController(OwnerRepository owners, ReportsRepository reports, InsuranceClient insurance) {
    this.owners = owners;
    this.reports = reports;
    this.insurance = insurance;
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

  @GetMapping(value = "/reports/visits", produces = "text/plain")
  @ResponseBody
  public String visitsReport() {
    return reports.visitsPerMonth();
  }

  @GetMapping(value = "/owners/{ownerId}/insurance", produces = "text/plain")
  @ResponseBody
  public String insurance(@PathVariable long ownerId) throws IOException {
    return insurance.coverage(ownerId);
  }

  @GetMapping("/oups")
  public String oups() {
    throw new IllegalStateException("Expected: controller used to showcase what happens when an exception is thrown");
  }
}
