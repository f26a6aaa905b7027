package org.springframework.samples.clinic.vet;

import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The vets, as a page and as JSON. */
@Controller
class VetController {

  private final VetRepository vets;

  VetController(VetRepository vets) {
    this.vets = vets;
  }

  @GetMapping("/vets.html")
  String showVetList(Model model) {
    model.addAttribute("vets", all());
    return "vets/vetList";
  }

  @GetMapping("/vets")
  @ResponseBody
  List<Vet> showResourcesVetList() {
    return all();
  }

  private List<Vet> all() {
    return vets.findAll(Sort.by("lastName"));
  }
}
