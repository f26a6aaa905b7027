package org.springframework.samples.clinic.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Shows what happens when a controller throws: Boot's error page, and a 500. */
@Controller
class CrashController {

  @GetMapping("/oups")
  String triggerException() {
    throw new RuntimeException("Expected: controller used to showcase what happens when an exception is thrown");
  }
}
